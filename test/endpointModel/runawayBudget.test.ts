import { closeJqEngine, compileEndpoint, evaluateEvents } from '../../src/endpointModel'
import type { CompiledEndpoint, EventEvaluation } from '../../src/endpointModel'
import { jqStopsSoFar, runJqProgram } from '../../src/endpointModel/jq'
import { field } from './helpers'

/**
 * Runaways have a budget per expression and per call: an expression that ran away is left out of its program
 * from then on (each later event reports it at once), a call's events wait for the culprit to be named after
 * two stops instead of each running away, another caller's event waits for one runaway at most, and a call can
 * be cancelled. Short deadlines keep it quick.
 */

afterAll(() => closeJqEngine())

const DEADLINE = 100
const LIMITS = { deadlineMs: DEADLINE }
const RUNAWAY = 'def f: f; f'

const identify = {
  name: 'Identify',
  schema: 'Custom',
  match: '.type == "identify"',
  fields: [field('UserID', '.userId', 'string', true)]
}

/** Compiled with the default limits (a compile check's deadline under load), evaluated with LIMITS. */
function withFields(...fields: ReturnType<typeof field>[]) {
  return compileEndpoint({ endpointKey: 'k', mappings: [{ ...identify, fields }] })
}

const withField = (path: string) => withFields(field('UserID', path, 'string', true))
const evaluate = (endpoint: CompiledEndpoint, events: unknown[]) => evaluateEvents(endpoint, events, LIMITS)

const runaways = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({ type: 'identify', userId: `r${from + i}`, runaway: true }))

const stoppedOf = (evaluation: EventEvaluation) => evaluation.problems[0]?.stopped

describe('a call whose events all run away', () => {
  it('runs away on two of them: the others wait for the culprit and report it without running it', async () => {
    const path = `if .runaway then (${RUNAWAY}) else .userId end`
    const endpoint = await withField(path)
    const before = jqStopsSoFar()
    const evaluations = await evaluate(endpoint, runaways(12))
    // The first, the run with marks that names the culprit, and the second (in the program named out of date).
    expect(jqStopsSoFar() - before).toBe(3)
    for (const evaluation of evaluations)
      expect(evaluation.problems).toEqual([
        expect.objectContaining({
          kind: 'jq-error',
          field: 'UserID',
          message: expect.stringContaining(`field UserID did not finish within ${DEADLINE} ms`),
          stopped: expect.objectContaining({ reason: 'deadline', mapping: 'Identify', expression: path })
        })
      ])
    // The second reports the expression named on the first, as the ten that did not run it do.
    const ranAway = evaluations.filter((e) => !stoppedOf(e)?.earlier)
    expect(ranAway).toHaveLength(1)
    const told = evaluations.find((e) => stoppedOf(e)?.earlier)
    expect(told?.problems[0].message).toContain(
      `did not finish within ${DEADLINE} ms on an earlier event, so it is not run again until the event mappings change`
    )
  })

  it('leaves the expression out for the rest of the program: a later call reports it at once, and other fields run', async () => {
    const path = `if .runaway then (${RUNAWAY}) else .userId end`
    const fields = [field('UserID', path, 'string', true), field('Kind', '.type', 'string')]
    const [first] = await evaluate(await withFields(...fields), runaways(1))
    expect(stoppedOf(first)?.earlier).toBeUndefined()
    // The same program compiled again (the studio compiles per request) shares what was learned.
    const [later, plain] = await evaluate(await withFields(...fields), [
      ...runaways(1, 1),
      { type: 'identify', userId: 'plain' }
    ])
    const reported = expect.objectContaining({ field: 'UserID', stopped: expect.objectContaining({ earlier: true }) })
    expect(later.problems).toEqual([reported])
    expect(later.fields.find((f) => f.name === 'Kind')?.value).toBe('identify')
    // Left out is left out: the plain event reports it too (it cannot be told from a runaway without running it).
    expect(plain.problems).toEqual([reported])
  })

  it('a match criterion left out takes no event: a warning where another mapping takes it, the problem where none does', async () => {
    const match = `if .runaway then (${RUNAWAY}) else false end`
    const runaway = { name: 'Runaway', schema: 'Custom', match, fields: [field('X', '.x', 'any')] }
    const endpoint = await compileEndpoint({ endpointKey: 'k', mappings: [runaway, identify] })
    const events = [
      { type: 'track', runaway: true },
      { type: 'identify', userId: 'u1' }
    ]
    const [stopped, plainFirst] = await evaluate(endpoint, events)
    expect(stoppedOf(stopped)).toMatchObject({ mapping: 'Runaway', expression: match })
    expect(plainFirst.warnings).toEqual([])
    const [later, plain] = await evaluate(endpoint, events)
    expect(later.problems).toEqual([
      expect.objectContaining({
        kind: 'jq-error',
        message: expect.stringMatching(/^mapping "Runaway": its match criterion did not finish .* on an earlier event/),
        stopped: expect.objectContaining({ mapping: 'Runaway', earlier: true })
      })
    ])
    expect(plain.mapping?.name).toBe('Identify')
    expect(plain.problems).toEqual([])
    expect(plain.warnings).toEqual([
      expect.stringMatching(/^mapping "Runaway": its match criterion .* before "Identify"$/)
    ])
  })
})

describe('a call whose runaways keep coming', () => {
  it('has three rounds at most: what is left after them is not run, and says why', async () => {
    // Eight fields that run away one after another: each round names two (the runs with marks of the first
    // event stopped, and of the second, in the program without the first's), and the next runs away on the next.
    const path = `if .runaway then (${RUNAWAY}) else .userId end`
    const fields = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => field(`F${n}`, path, 'any'))
    const evaluations = await evaluate(await withFields(...fields), runaways(7))
    const named = evaluations.map((e) => e.problems[0]?.field)
    expect(named.filter((f) => f !== undefined).sort()).toEqual(['F1', 'F2', 'F3', 'F4', 'F5', 'F6'])
    const [notRun] = evaluations.filter((e) => !e.problems[0]?.field)
    expect(notRun.problems).toEqual([
      {
        kind: 'jq-error',
        message: expect.stringMatching(/^jq was not run on this event: jq was stopped on 6 other events given with it/)
      }
    ])
  }, 120_000)
})

describe('the jq engine', () => {
  const program = `if .r then (${RUNAWAY}) else .n end`
  const texts = (n: number, runaway: boolean) =>
    Array.from({ length: n }, (_, i) => JSON.stringify({ r: runaway, n: i }))

  it("answers another caller's event after one runaway, not after the whole batch", async () => {
    const order: string[] = []
    const batch = runJqProgram(program, texts(3, true), LIMITS).then((answers) => {
      order.push('batch')
      return answers
    })
    await new Promise((resolve) => setImmediate(resolve))
    const other = runJqProgram(program, texts(1, false), LIMITS).then((answers) => {
      order.push('other')
      return answers
    })
    const [batchAnswers, otherAnswers] = await Promise.all([batch, other])
    expect(order).toEqual(['other', 'batch'])
    expect(otherAnswers).toEqual([expect.objectContaining({ kind: 'outputs', outputs: [0] })])
    expect(batchAnswers.map((a) => a.kind)).toEqual(['stopped', 'stopped', 'stopped'])
  })

  /** A hunt the test ends when it likes; `begun` settles when the queue starts it (a job was stopped). */
  function heldHunt() {
    let end = () => undefined as void
    let begin = () => undefined as void
    const ended = new Promise<void>((resolve) => (end = resolve))
    const begun = new Promise<void>((resolve) => (begin = resolve))
    const onStop = () => {
      begin()
      return ended
    }
    return { onStop, end, begun }
  }

  it("holds back a batch while the hunt for its runaway goes on, and runs another caller's job at once", async () => {
    const hunt = heldHunt()
    const before = jqStopsSoFar()
    const batch = runJqProgram(program, texts(3, true), LIMITS, { onStop: hunt.onStop })
    await new Promise((resolve) => setImmediate(resolve))
    const other = await runJqProgram(program, texts(1, false), LIMITS)
    expect(other).toEqual([expect.objectContaining({ kind: 'outputs', outputs: [0] })])
    // One deadline, the batch's first runaway: its other jobs wait for the hunt, which has not ended.
    expect(jqStopsSoFar() - before).toBe(1)
    hunt.end()
    expect((await batch).map((a) => a.kind)).toEqual(['stopped', 'stopped', 'stopped'])
  })

  it('cancels a batch held back for its hunt at once, and its hunt ending later runs none of it', async () => {
    const hunt = heldHunt()
    const controller = new AbortController()
    const run = { onStop: hunt.onStop, signal: controller.signal }
    const batch = runJqProgram(program, [...texts(1, true), ...texts(2, false)], LIMITS, run)
    await hunt.begun
    controller.abort()
    expect(await batch).toEqual([
      expect.objectContaining({ kind: 'stopped' }),
      { kind: 'skipped', why: 'cancelled' },
      { kind: 'skipped', why: 'cancelled' }
    ])
    const before = jqStopsSoFar()
    hunt.end()
    expect(await runJqProgram(program, texts(1, false), LIMITS)).toEqual([
      expect.objectContaining({ kind: 'outputs', outputs: [0] })
    ])
    expect(jqStopsSoFar() - before).toBe(0)
  })

  it("runs nothing while a second caller's runaway waits for the first one's hunt", async () => {
    const [first, second] = [heldHunt(), heldHunt()]
    const one = runJqProgram(program, texts(1, true), LIMITS, { onStop: first.onStop })
    const two = runJqProgram(program, texts(1, true), LIMITS, { onStop: second.onStop })
    let plainAnswered = false
    const plain = runJqProgram(program, texts(1, false), LIMITS).then((answers) => {
      plainAnswered = true
      return answers
    })
    const [answerOne, answerTwo] = await Promise.all([one, two])
    expect([...answerOne, ...answerTwo].map((a) => a.kind)).toEqual(['stopped', 'stopped'])
    // Both stopped: the second's hunt pauses the queue until it ends, whatever the first's does.
    first.end()
    await new Promise((resolve) => setTimeout(resolve, 2 * DEADLINE))
    expect(plainAnswered).toBe(false)
    second.end()
    expect(await plain).toEqual([expect.objectContaining({ kind: 'outputs', outputs: [0] })])
  })

  it('halts a batch after its budget of stops: the rest is skipped, not run', async () => {
    const answers = await runJqProgram(program, [...texts(2, true), ...texts(2, false)], LIMITS, { haltAfterStops: 1 })
    expect(answers).toEqual([
      expect.objectContaining({ kind: 'stopped' }),
      { kind: 'skipped', why: 'halted' },
      { kind: 'skipped', why: 'halted' },
      { kind: 'skipped', why: 'halted' }
    ])
  })

  it('cancels a batch stuck in a runaway when its signal aborts, and goes on with the next', async () => {
    const controller = new AbortController()
    // A deadline far past the test's own timeout: only the cancel can end it.
    const stuck = runJqProgram(program, texts(2, true), { deadlineMs: 600_000 }, { signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    expect(await stuck).toEqual([
      { kind: 'skipped', why: 'cancelled' },
      { kind: 'skipped', why: 'cancelled' }
    ])
    const next = await runJqProgram(program, texts(1, false), { deadlineMs: 600_000 })
    expect(next).toEqual([expect.objectContaining({ kind: 'outputs', outputs: [0] })])
  })

  it('evaluateEvents rejects with the reason when its signal aborts', async () => {
    const endpoint = await withField(`if .runaway then (${RUNAWAY}) else .userId end`)
    const controller = new AbortController()
    const evaluating = evaluateEvents(
      endpoint,
      [{ type: 'identify', userId: 'x', runaway: true }],
      { deadlineMs: 600_000 },
      {
        signal: controller.signal
      }
    )
    setTimeout(() => controller.abort(new Error('a newer edit')), 50)
    await expect(evaluating).rejects.toThrow('a newer edit')
  })
})

describe("one caller's runaways", () => {
  it("cost another caller's plain event one deadline: the call waits for its culprit to be named, the other does not", async () => {
    // A program of its own, and a deadline the hunt's run with marks cannot beat the plain event's answer by.
    const path = `if .runaway then (def h: h; h) else .userId end`
    const endpoint = await compileEndpoint({
      endpointKey: 'k',
      mappings: [{ ...identify, fields: [field('UserID', path, 'string', true)] }]
    })
    const limits = { deadlineMs: 500 }
    const before = jqStopsSoFar()
    const batch = evaluateEvents(endpoint, runaways(20), limits)
    let waited = -1
    const plain = evaluateEvents(endpoint, [{ type: 'identify', userId: 'plain' }], limits).then(([evaluation]) => {
      waited = jqStopsSoFar() - before
      return evaluation
    })
    const [plainEvaluation, evaluations] = await Promise.all([plain, batch])
    expect(plainEvaluation.problems).toEqual([])
    expect(plainEvaluation.fields.find((f) => f.name === 'UserID')?.value).toBe('plain')
    // Before: the first runaway, then the run with marks that names it (2). Now the first only.
    expect(waited).toBe(1)
    for (const evaluation of evaluations) expect(stoppedOf(evaluation)).toMatchObject({ mapping: 'Identify' })
  })
})

describe('many callers, each with one runaway', () => {
  it("answer another caller's plain event after one runaway and the hunt for its expression, however many they are", async () => {
    // A program of its own (marks are kept per program for the process): identify's field runs away.
    const path = `if .runaway then (def g: g; g) else .userId end`
    const tracks = {
      name: 'Track',
      schema: 'Custom',
      match: '.type == "track"',
      fields: [field('Name', '.event', 'string')]
    }
    const endpoint = await compileEndpoint({
      endpointKey: 'k',
      mappings: [{ ...identify, fields: [field('UserID', path, 'string', true)] }, tracks]
    })
    const CALLERS = 6
    const before = jqStopsSoFar()
    // Each its own call, as separate stand-in requests are, all at once, and the plain event's after them.
    const calls = runaways(CALLERS).map((event) => evaluate(endpoint, [event]))
    let waited = -1
    const plain = evaluate(endpoint, [{ type: 'track', event: 'Plain' }]).then(([evaluation]) => {
      waited = jqStopsSoFar() - before
      return evaluation
    })
    const [plainEvaluation, ...runawayEvaluations] = await Promise.all([plain, ...calls.map(async (c) => (await c)[0])])
    expect(plainEvaluation.mapping?.name).toBe('Track')
    expect(plainEvaluation.problems).toEqual([])
    // It waited for every runaway before it, and some of their hunts: 9 stops with 6 callers. Now: the first
    // runaway, its hunt, and the second runaway (which withdraws the rest), however many callers there are.
    expect(waited).toBeLessThanOrEqual(3)
    for (const evaluation of runawayEvaluations)
      expect(stoppedOf(evaluation)).toMatchObject({ reason: 'deadline', mapping: 'Identify', expression: path })
    expect(runawayEvaluations.filter((e) => !stoppedOf(e)?.earlier).length).toBeLessThanOrEqual(2)
  }, 60_000)
})
