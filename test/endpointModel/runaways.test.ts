import { closeJqEngine, compileEndpoint, EndpointFileError, evaluateEvents } from '../../src/endpointModel'
import type { CompiledEndpoint, EventEvaluation } from '../../src/endpointModel'
import { endpointProgram } from '../../src/endpointModel/endpointProgram'
import { readEndpointSpec } from '../../src/endpointModel/endpointSpec'
import { runJqProgram } from '../../src/endpointModel/jq/engine'
import { field } from './helpers'

/**
 * Runaway expressions through the engine: each kind as a match criterion and as a field path, guarded so that
 * only the event marked `runaway` runs away. That event gets a jq-error problem naming the mapping, the match
 * criterion or field, and the expression; the events before and after it get their right answers.
 */

// Each case starts workers (from TypeScript, through scripts/workerTranspile.js) and waits out deadlines.
jest.setTimeout(120000)

afterAll(() => closeJqEngine())

/**
 * Events are evaluated with a short deadline, so that a case waits a fraction of a second (twice: the event,
 * then the run that names the expression); endpoints are compiled with the default one, since a compile check
 * on a loaded machine may take longer than this.
 */
const DEADLINE = 100
const SHORT = { deadlineMs: DEADLINE }

const RUNAWAYS: [string, string][] = [
  ['infinite recursion', 'def f: f; f'],
  ['recursion that allocates', 'def f: [f]; f'],
  ['repeat', 'repeat(.)'],
  ['a huge range', 'last(range(1e15))'],
  ['a huge array', '[limit(100000000; repeat("x"))] | length']
]

const identify = {
  name: 'Identify',
  schema: 'Custom',
  match: '.type == "identify"',
  fields: [field('UserID', '.userId', 'string', true)]
}

const EVENTS = [
  { type: 'identify', userId: 'before' },
  { type: 'identify', userId: 'runaway', runaway: true },
  { type: 'identify', userId: 'after' }
]

function expectNeighboursRight(evaluations: EventEvaluation[]) {
  expect(evaluations[0].fields[0].value).toBe('before')
  expect(evaluations[2].fields[0].value).toBe('after')
  expect(evaluations[0].problems).toEqual([])
  expect(evaluations[2].problems).toEqual([])
}

describe('a runaway match criterion', () => {
  it.each(RUNAWAYS)('%s is its event’s jq-error, naming the mapping and the expression', async (_kind, runaway) => {
    const match = `if .runaway then (${runaway}) else false end`
    const endpoint = await compileEndpoint({
      endpointKey: 'k',
      mappings: [{ name: 'Runaway', schema: 'Custom', match, fields: [field('X', '.x', 'any')] }, identify]
    })
    const evaluations = await evaluateEvents(endpoint, EVENTS, SHORT)
    expectNeighboursRight(evaluations)
    const [problem] = evaluations[1].problems
    expect(problem).toMatchObject({ kind: 'jq-error', stopped: { mapping: 'Runaway', expression: match } })
    expect(problem.field).toBeUndefined()
    expect(['deadline', 'memory']).toContain(problem.stopped?.reason)
    expect(problem.message).toMatch(
      new RegExp(
        `^mapping "Runaway": its match criterion (did not finish within ${DEADLINE} ms|needed more than 256 MB of memory): check for .*\\(if \\.runaway then`
      )
    )
  })
})

describe('a runaway field path', () => {
  it.each(RUNAWAYS)(
    '%s is its event’s jq-error, naming the mapping, the field and the expression',
    async (_kind, runaway) => {
      const path = `if .runaway then (${runaway}) else .userId end`
      const endpoint = await compileEndpoint({
        endpointKey: 'k',
        mappings: [{ ...identify, fields: [field('UserID', path, 'string', true), field('Kind', '.type', 'string')] }]
      })
      const evaluations = await evaluateEvents(endpoint, EVENTS, SHORT)
      expectNeighboursRight(evaluations)
      const [problem] = evaluations[1].problems
      expect(problem).toMatchObject({
        kind: 'jq-error',
        field: 'UserID',
        stopped: { mapping: 'Identify', expression: path }
      })
      expect(problem.message).toMatch(/^mapping "Identify": field UserID (did not finish|needed more)/)
    }
  )
})

describe('the memory cap', () => {
  it('stops a field path that allocates long before its deadline', async () => {
    const path = 'if .runaway then [range(1e8)] | length else .userId end'
    const endpoint = await compileEndpoint(
      { endpointKey: 'k', mappings: [{ ...identify, fields: [field('UserID', path, 'string', true)] }] },
      undefined,
      { deadlineMs: 60000, memoryCapMb: 32 }
    )
    const evaluations = await evaluateEvents(endpoint, EVENTS)
    expectNeighboursRight(evaluations)
    expect(evaluations[1].problems[0]).toMatchObject({ field: 'UserID', stopped: { reason: 'memory' } })
    expect(evaluations[1].problems[0].message).toContain('field UserID needed more than 32 MB of memory')
  })
})

describe("jq's stack", () => {
  it('stops tojson on a value nested too deeply, before it corrupts the instance for the events after it', async () => {
    let deep: unknown = 'bottom'
    for (let i = 0; i < 80; i++) deep = [deep]
    const path = 'if .runaway then .deep | tojson | length else .userId end'
    // The culprit first, fields after it: the stack guard is read at every mark, not only after the event.
    const fields = [
      field('UserID', path, 'any', true),
      field('Kind', '.type', 'string'),
      field('Again', '.userId', 'any')
    ]
    const endpoint = await compileEndpoint({ endpointKey: 'k', mappings: [{ ...identify, fields }] })
    const evaluations = await evaluateEvents(endpoint, [EVENTS[0], { ...EVENTS[1], deep }, EVENTS[2]], SHORT)
    expectNeighboursRight(evaluations)
    // Past the stack's end anything may follow: the guard sees it after the expression, or jq traps, or the
    // corrupted instance loops until the deadline. Either way the right field is named and the others are right.
    const [problem] = evaluations[1].problems
    expect(problem).toMatchObject({ field: 'UserID', stopped: { mapping: 'Identify', expression: path } })
    expect(['stack', 'crash', 'deadline']).toContain(problem.stopped?.reason)
    expect(problem.message).toMatch(
      /^mapping "Identify": field UserID (ran jq out of stack space|made jq fail|did not finish)/
    )
  })
})

describe('too much output', () => {
  it('is its event’s problem, not the main thread’s memory', async () => {
    // At a 64 MB cap an answer may have 4 MB: some 4.8 MB of numbers is past it, and jq has room to print them.
    const path = 'if .runaway then [range(700000)] else .userId end'
    const endpoint = await compileEndpoint(
      { endpointKey: 'k', mappings: [{ ...identify, fields: [field('UserID', path, 'any', true)] }] },
      undefined,
      { deadlineMs: 60000, memoryCapMb: 64 }
    )
    const evaluations = await evaluateEvents(endpoint, EVENTS)
    expectNeighboursRight(evaluations)
    expect(evaluations[1].problems[0]).toMatchObject({ kind: 'jq-error', stopped: { reason: 'output' } })
    expect(evaluations[1].problems[0].message).toMatch(/gave results too large to take \(\d+ bytes, more than 4 MB/)
  })
})

/** A constant jq computes while compiling: slow and under the cap, or past the cap at once. */
const EXPLOSIONS: [string, string, RegExp][] = [
  ['slow', '"x" * 100000000', /^jq did not finish compiling it within 1000 ms: jq computes constant parts/],
  ['huge', '"x" * 900000000', /^jq needed more than 256 MB of memory compiling it: jq computes constant parts/]
]

describe('a constant that explodes while compiling', () => {
  it.each(EXPLOSIONS)(
    '(%s) as a match criterion is a problem of the endpoint file',
    async (_kind, constant, message) => {
      const mappings = [{ ...identify, match: `.type == (${constant})` }]
      const error = await compileEndpoint({ endpointKey: 'k', mappings }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(EndpointFileError)
      expect((error as EndpointFileError).problems).toEqual([
        expect.objectContaining({ where: 'mappings[0].match', message: expect.stringMatching(message) })
      ])
    }
  )

  it.each(EXPLOSIONS)('(%s) as a field path is a problem of the endpoint file', async (_kind, constant, message) => {
    const mappings = [{ ...identify, fields: [field('UserID', `.userId + (${constant})`, 'string')] }]
    const error = await compileEndpoint({ endpointKey: 'k', mappings }).catch((e: unknown) => e)
    expect((error as EndpointFileError).problems).toEqual([
      expect.objectContaining({ where: 'mappings[0].fields[0].path', message: expect.stringMatching(message) })
    ])
  })

  it.each(EXPLOSIONS)(
    '(%s) in a program that skipped the checks fails its events, not the process',
    async (_kind, constant) => {
      const { spec } = readEndpointSpec({
        endpointKey: 'k',
        mappings: [{ ...identify, fields: [field('UserID', `.userId + (${constant})`, 'string')] }]
      })
      const endpoint: CompiledEndpoint = {
        spec,
        warnings: [],
        program: endpointProgram(spec),
        limits: { deadlineMs: 100 }
      }
      const evaluations = await evaluateEvents(endpoint, EVENTS)
      for (const evaluation of evaluations)
        expect(evaluation.problems).toEqual([
          {
            kind: 'jq-error',
            message: expect.stringMatching(
              /^jq could not evaluate this event: jq (did not compile the program within 1000 ms|needed more memory)/
            )
          }
        ])
      // The engine goes on: another program right after is answered.
      expect((await runJqProgram('.userId', [JSON.stringify(EVENTS[0])]))[0]).toMatchObject({ outputs: ['before'] })
    }
  )
})
