import {
  deliverBatchWithRetries,
  deliverWithRetries,
  delayFor,
  gaveUp,
  isUnknownOutcome
} from '../../src/send/retryPolicy'
import type { RetryHooks } from '../../src/send/retryPolicy'
import type { Failure, Outcome } from '../../src/runtime/outcome'
import type { Unit } from '../../src/send/unit'

const policy = { retries: 3, retryBaseMs: 100, maxDelayMs: 1000 }
const failure = (overrides: Partial<Failure> = {}): Failure => ({
  kind: 'failed',
  status: 503,
  code: 'SERVICE_UNAVAILABLE',
  message: 'Movable Ink had a temporary problem (HTTP 503).',
  retryable: true,
  reached: 'answered',
  ...overrides
})
const unit = (i = 0): Unit => ({
  input: 0,
  item: i,
  source: 'a.jsonl',
  line: i + 1,
  event: { messageId: `m${i}` },
  started: 0,
  attempts: 0,
  unknownOutcome: false
})
const noWait = { retries: 3, retryBaseMs: 0, maxDelayMs: 0 }

describe('delayFor: exponential back-off with jitter, never before Retry-After, never past the cap', () => {
  it('doubles its ceiling each attempt and waits between half and all of it', () => {
    expect(delayFor(policy, 0, undefined, () => 0)).toBe(50)
    expect(delayFor(policy, 0, undefined, () => 0.999999)).toBeCloseTo(100, 3)
    expect(delayFor(policy, 2, undefined, () => 0)).toBe(200)
    expect(delayFor(policy, 10, undefined, () => 1)).toBe(1000)
  })

  it('waits at least what Retry-After asked, up to the cap', () => {
    expect(delayFor(policy, 0, 700, () => 0)).toBe(700)
    expect(delayFor(policy, 0, 60_000, () => 0)).toBe(1000)
  })
})

describe('isUnknownOutcome: may Movable Ink hold an event whose attempt failed?', () => {
  it.each([
    ['a request that went out and got no answer', failure({ reached: 'unknown', status: 503 }), true],
    ['a timeout (408)', failure({ status: 408, code: 'REQUEST_TIMEOUT' }), true],
    ['a refused connection (never sent)', failure({ reached: 'not-sent' }), false],
    ['a real 503 answer', failure(), false],
    ['a 429 answer', failure({ status: 429, code: 'TOO_MANY_REQUESTS' }), false]
  ])('%s: %s', (_what, given, expected) => {
    expect(isUnknownOutcome(given)).toBe(expected)
  })

  it('reads the data, not the message', () => {
    expect(
      isUnknownOutcome(failure({ message: 'Could not reach Movable Ink (ECONNRESET)', reached: 'not-sent' }))
    ).toBe(false)
  })
})

describe('gaveUp', () => {
  it('says how many attempts a retryable failure had, and leaves a final one alone', () => {
    expect(gaveUp(failure(), 4).message).toMatch(/Gave up after 4 attempts\.$/)
    expect(gaveUp(failure({ retryable: false }), 1).message).not.toMatch(/Gave up/)
  })
})

function hooks(): RetryHooks & { retried: Unit[]; stop: boolean } {
  const state = { retried: [] as Unit[], stop: false }
  return Object.assign(state, { stopping: () => state.stop, retrying: (u: Unit) => state.retried.push(u) })
}

describe('deliverWithRetries', () => {
  it('retries a retryable failure until it is delivered', async () => {
    const answers: Outcome[] = [failure(), failure(), { kind: 'delivered', status: 200 }]
    const h = hooks()
    const one = unit()
    expect(await deliverWithRetries(one, async () => answers.shift() as Outcome, noWait, h)).toEqual({
      kind: 'delivered',
      status: 200
    })
    expect(one.attempts).toBe(3)
    expect(h.retried).toHaveLength(2)
  })

  it('does not retry a final failure, nor once the run is stopping', async () => {
    const final = await deliverWithRetries(unit(), async () => failure({ retryable: false }), noWait, hooks())
    expect(final).toMatchObject({ kind: 'failed', retryable: false })
    const h = hooks()
    h.stop = true
    const stopped = unit()
    await deliverWithRetries(stopped, async () => failure(), noWait, h)
    expect(stopped.attempts).toBe(1)
  })

  it('stops after the retries allowed and says so', async () => {
    const one = unit()
    const outcome = await deliverWithRetries(one, async () => failure(), noWait, hooks())
    expect(one.attempts).toBe(4)
    expect(outcome.kind === 'failed' && outcome.message).toMatch(/Gave up after 4 attempts/)
  })
})

describe('deliverBatchWithRetries', () => {
  it('settles each event once, retrying only the events a retry can help', async () => {
    const units = [unit(0), unit(1), unit(2)]
    const calls: number[][] = []
    const sendMany = async (events: Record<string, unknown>[]) => {
      calls.push(events.map((e) => Number(String(e.messageId).slice(1))))
      return events.map((e): Outcome => {
        if (e.messageId === 'm0') return { kind: 'delivered', status: 200 }
        if (e.messageId === 'm1') return failure({ retryable: false, status: 400, code: 'BAD_REQUEST' })
        return calls.length < 3 ? failure() : { kind: 'delivered', status: 200 }
      })
    }
    const settled: [number, string][] = []
    await deliverBatchWithRetries(units, sendMany, noWait, hooks(), async (u, o) => void settled.push([u.item, o.kind]))
    expect(calls).toEqual([[0, 1, 2], [2], [2]])
    expect(settled.sort()).toEqual([
      [0, 'delivered'],
      [1, 'failed'],
      [2, 'delivered']
    ])
    expect(units.map((u) => u.attempts)).toEqual([1, 1, 3])
  })
})
