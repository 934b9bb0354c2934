import type { Failure, Outcome } from '../runtime/outcome'
import type { Unit } from './unit'

/**
 * When `send` tries again: retryable failures (the destination's own classification) with exponential
 * back-off and jitter, never sooner than Retry-After, at most `retries` times, and not once the run is asked
 * to stop. A batch retries only the events that can be helped.
 */
export interface RetryPolicy {
  retries: number
  retryBaseMs: number
  maxDelayMs: number
}

export interface RetryHooks {
  /** True once the run is asked to stop: what fails from then on is not retried. */
  stopping(): boolean
  /** Called once per event before each retry. */
  retrying(unit: Unit, failure: Failure): void
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** The wait before retry number `attempt + 1`: full back-off between half and all of its ceiling. */
export function delayFor(policy: RetryPolicy, attempt: number, retryAfterMs?: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.retryBaseMs * 2 ** attempt)
  const backoff = ceiling / 2 + (random() * ceiling) / 2
  return Math.min(policy.maxDelayMs, Math.max(retryAfterMs ?? 0, backoff))
}

/**
 * Whether Movable Ink may have stored an event although the attempt failed: the request went out and no
 * answer came back (the destination says so: `reached` is `unknown`). Movable Ink does not deduplicate, so a
 * retry after such a failure may store the event twice. A real HTTP 408 is counted too: better to overcount.
 */
export function isUnknownOutcome(failure: Failure): boolean {
  return failure.status === 408 || failure.reached === 'unknown'
}

/** A retryable failure that ran out of retries says so. */
export function gaveUp(failure: Failure, attempts: number): Failure {
  if (!failure.retryable) return failure
  return { ...failure, message: `${failure.message} Gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}.` }
}

/** One event, one request per attempt: its final outcome. */
export async function deliverWithRetries(
  unit: Unit,
  send: (event: Record<string, unknown>) => Promise<Outcome>,
  policy: RetryPolicy,
  hooks: RetryHooks
): Promise<Outcome> {
  for (let attempt = 0; ; attempt++) {
    unit.attempts++
    const outcome = await send(unit.event)
    if (outcome.kind !== 'failed') return outcome
    if (!outcome.retryable || attempt >= policy.retries || hooks.stopping()) return gaveUp(outcome, unit.attempts)
    hooks.retrying(unit, outcome)
    await sleep(delayFor(policy, attempt, outcome.retryAfterMs))
  }
}

/**
 * Many events, one `onBatch` per attempt. Each event is settled as soon as its outcome is final (delivered,
 * or failed for good), before the others are retried; the promise resolves when all are settled.
 */
export async function deliverBatchWithRetries(
  units: Unit[],
  sendMany: (events: Record<string, unknown>[]) => Promise<Outcome[]>,
  policy: RetryPolicy,
  hooks: RetryHooks,
  settle: (unit: Unit, outcome: Outcome) => Promise<void>
): Promise<void> {
  let pending = units
  for (let attempt = 0; pending.length > 0; attempt++) {
    pending.forEach((unit) => unit.attempts++)
    const outcomes = await sendMany(pending.map((unit) => unit.event))
    const again: Unit[] = []
    const settled: Promise<void>[] = []
    let retryAfterMs: number | undefined
    pending.forEach((unit, i) => {
      const outcome = outcomes[i]
      if (outcome.kind !== 'failed') settled.push(settle(unit, outcome))
      else if (outcome.retryable && attempt < policy.retries && !hooks.stopping()) {
        again.push(unit)
        hooks.retrying(unit, outcome)
        if (outcome.retryAfterMs !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, outcome.retryAfterMs)
      } else settled.push(settle(unit, gaveUp(outcome, unit.attempts)))
    })
    await Promise.all(settled)
    if (again.length === 0) return
    await sleep(delayFor(policy, attempt, retryAfterMs))
    pending = again
  }
}
