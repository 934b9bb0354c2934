import { spawnSync } from 'child_process'
import { resolve } from 'path'
import { closeJqEngine, evaluateEvents } from '../../src/endpointModel'
import { runJqProgram } from '../../src/endpointModel/jq/engine'
import { endpointOf, field } from './helpers'

/**
 * Every event goes through the same long-lived jq main(), so nothing one event's expression does may reach
 * another: not the input stream (input, inputs, input_line_number, input_filename), not the run itself (halt,
 * halt_error), not stderr (debug, stderr), not the process's environment ($ENV, env); and a text jq cannot
 * parse is its own event's problem.
 */

jest.setTimeout(120000)

afterAll(() => closeJqEngine())

const EVENTS = [1, 2, 3].map((n) => ({ type: 'track', n, userId: `u${n}` }))

async function valuesOf(path: string, events: unknown[] = EVENTS) {
  const endpoint = await endpointOf([
    {
      name: 'T',
      schema: 'Custom',
      match: '.type == "track"',
      fields: [field('V', path, 'any'), field('N', '.n', 'any')]
    }
  ])
  return evaluateEvents(endpoint, events)
}

describe('isolation between events', () => {
  it.each(['input', '[inputs]', 'first(inputs)', 'halt', 'halt_error', 'halt_error(1)', '"x" | halt_error'])(
    '%s fails in its mapping and leaves the other events alone',
    async (path) => {
      const evaluations = await valuesOf(path)
      expect(evaluations.map((e) => e.fields[1].value)).toEqual([1, 2, 3])
      for (const evaluation of evaluations)
        expect(evaluation.problems).toEqual([
          expect.objectContaining({
            kind: 'jq-error',
            field: 'V',
            message: expect.stringMatching(/is not available in a mapping/)
          })
        ])
    }
  )

  it('input_line_number is 0 for every event, as for an event given to jq alone', async () => {
    const evaluations = await valuesOf('input_line_number')
    expect(evaluations.map((e) => e.fields[0].value)).toEqual([0, 0, 0])
  })

  it('input_filename is null', async () => {
    const evaluations = await valuesOf('input_filename')
    expect(evaluations.map((e) => e.fields[0].value)).toEqual([null, null, null])
  })

  it('debug and stderr pass their input through and write nothing', async () => {
    const writes = jest.spyOn(process.stderr, 'write')
    try {
      const evaluations = await valuesOf('[debug, debug("message"), stderr, (.n | debug | stderr)] | length')
      expect(evaluations.map((e) => e.fields[0].value)).toEqual([4, 4, 4])
      expect(writes).not.toHaveBeenCalled()
    } finally {
      writes.mockRestore()
    }
  })

  it('$ENV and env are empty, whatever the process environment holds', async () => {
    process.env.MOVABLE_INK_TEST_SECRET = 'do-not-show'
    try {
      const evaluations = await valuesOf('[$ENV, env]')
      expect(evaluations.map((e) => e.fields[0].value)).toEqual([
        [{}, {}],
        [{}, {}],
        [{}, {}]
      ])
      // Below the sandbox too: the engine runs any program in an empty environment.
      const [answer] = await runJqProgram('$ENV | tojson', ['null'])
      expect(answer).toMatchObject({ kind: 'outputs', outputs: ['{}'] })
    } finally {
      delete process.env.MOVABLE_INK_TEST_SECRET
    }
  })

  it('an event text jq cannot parse (a lone surrogate) is that event’s problem, not its batch’s', async () => {
    const evaluations = await valuesOf('.userId', [EVENTS[0], { ...EVENTS[1], userId: '\ud800' }, EVENTS[2]])
    expect(evaluations[0].fields[0].value).toBe('u1')
    expect(evaluations[2].fields[0].value).toBe('u3')
    expect(evaluations[1].problems).toEqual([
      {
        kind: 'jq-error',
        message: expect.stringMatching(
          /^jq could not evaluate this event: jq cannot parse it: Invalid \\uXXXX\\uXXXX surrogate pair escape at line 1, column \d+$/
        )
      }
    ])
  })
})

describe('the process around the engine', () => {
  it('keeps answering while jq runs away', async () => {
    const endpoint = await endpointOf([
      { name: 'T', schema: 'Custom', match: 'def f: f; f', fields: [field('V', '.', 'any')] }
    ])
    let ticks = 0
    const ticker = setInterval(() => ticks++, 20)
    try {
      await evaluateEvents(endpoint, [{}])
    } finally {
      clearInterval(ticker)
    }
    // The runaway took a deadline (and one more to find the expression): the event loop ran all along.
    expect(ticks).toBeGreaterThan(20)
  })

  it('lets a process that evaluated events exit by itself, without closing the engine', () => {
    const script = [
      "const m = require('./src/endpointModel')",
      "m.loadEndpointFile(m.DEFAULT_ENDPOINT_FILE).then((e) => m.evaluateEvents(e, [{ type: 'identify' }]))",
      '.then((r) => console.log(r[0].mapping.name))'
    ].join('\n')
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
      cwd: resolve(__dirname, '../..'),
      encoding: 'utf8',
      timeout: 100000
    })
    expect(child.stdout.trim()).toBe('Identify')
    expect(child.status).toBe(0)
  })
})
