/** The stand-in's injected faults: which share of requests is dropped, answered 429 or 500, or answered late. */

export interface Faults {
  /** Share of accepted requests (0..1) answered 429. */
  rate429?: number
  /** A Retry-After for those 429s, in seconds; none by default, as Movable Ink's answers carry none. */
  retryAfterSeconds?: number
  /** Share answered 500. */
  rate500?: number
  /** Share whose connection is dropped without an answer. */
  rateDrop?: number
  /** Share answered late, after `slowMs`. */
  rateSlow?: number
  slowMs?: number
}

export type Fault = { kind: 'drop' } | { kind: 'status'; status: 429 | 500 } | { kind: 'slow'; delayMs: number }

/** Rolls the dice for one request: the fault to inject, if any. */
export function pickFault(dice: number, faults: Faults): Fault | undefined {
  let threshold = faults.rateDrop ?? 0
  if (dice < threshold) return { kind: 'drop' }
  threshold += faults.rate429 ?? 0
  if (dice < threshold) return { kind: 'status', status: 429 }
  threshold += faults.rate500 ?? 0
  if (dice < threshold) return { kind: 'status', status: 500 }
  threshold += faults.rateSlow ?? 0
  if (dice < threshold) return { kind: 'slow', delayMs: faults.slowMs ?? 2000 }
  return undefined
}
