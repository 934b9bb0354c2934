import { failureDataOf, isRetryableError, retryAfterOf } from '../destinations/movable-ink/movableInkErrors'
import type { Reached } from '../destinations/movable-ink/movableInkErrors'

/**
 * What became of one event in the runtime, as data: delivered (with the HTTP status), not subscribed (the
 * subscription's trigger does not match it: nothing ran), or failed, with the runtime's error code, whether a
 * retry can help, and whether the request reached Movable Ink at all. Nothing downstream reads a message's text.
 */
export type Outcome = Delivered | NotSubscribed | Failure

export interface Delivered {
  kind: 'delivered'
  status: number
}

export interface NotSubscribed {
  kind: 'not subscribed'
}

export interface Failure {
  kind: 'failed'
  /** The HTTP status the error stands for (a real answer's, or the destination's for a failure without one). */
  status?: number
  code: string
  message: string
  retryable: boolean
  retryAfterMs?: number
  reached: Reached
  /** The system error of a request that got no answer (`ECONNREFUSED`, `ECONNRESET`, ...). */
  connectionCode?: string
}

/**
 * Every failure of a request carries the destination's FailureData (an answer, or a request that got none); an
 * error without it came before any request: the checks, the settings, the runtime's schema validation.
 */
function reachedOf(error: unknown): Reached {
  return failureDataOf(error)?.reached ?? 'not-sent'
}

/** What the runtime says about a failure it threw. */
export function outcomeOfError(error: unknown): Failure {
  const err = error as { status?: unknown; code?: unknown; message?: unknown; name?: string }
  const code = typeof err?.code === 'string' ? err.code : err?.name ?? 'ERROR'
  const data = failureDataOf(error)
  return {
    kind: 'failed',
    status: typeof err?.status === 'number' ? err.status : undefined,
    code,
    message: typeof err?.message === 'string' ? err.message : String(error),
    retryable: isRetryableError(error),
    retryAfterMs: retryAfterOf(error),
    reached: reachedOf(error),
    ...(data?.connectionCode ? { connectionCode: data.connectionCode } : {})
  }
}

/** A failure that the runtime did not report (no result for an event, a worker that stopped). */
export function lostOutcome(code: string, message: string, reached: Reached): Failure {
  return { kind: 'failed', code, message, retryable: false, reached }
}
