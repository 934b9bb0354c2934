/**
 * Movable Ink's published limits. "Requests must be smaller than 2MB": we read 2 MB as 2,000,000 bytes,
 * the stricter of the two readings, so that nothing we send can be refused for its size.
 */
export const MAX_REQUEST_BYTES = 2_000_000

/**
 * A batched request (`{"events": [...]}`) must stay under 1 MB, which we read as 1,000,000 bytes with the
 * envelope counted: RudderStack's Movable Ink integration, which batches in production, set 1,000 events and
 * 1 MB from load tests (rudder-transformer, "update movable ink batch size", 2024-04). That is a peer's tested
 * choice, not a rule Movable Ink publishes: we keep to it because it is known to work.
 */
export const MAX_BATCH_REQUEST_BYTES = 1_000_000

/**
 * Events per batched request when batching is on (the runtime's `batch_size` default). Movable Ink does not
 * deduplicate, so a batch retried after a timeout may be stored twice: 100 keeps that exposure small while
 * already cutting requests a hundredfold (about 110 kB per request for typical 1.1 kB events).
 */
export const DEFAULT_BATCH_SIZE = 100

/** The most events one batched request may carry, whatever `batch_size` says (RudderStack's figure, above). */
export const MAX_BATCH_SIZE = 1000

/** How long Movable Ink keeps event data for personalisation. */
export const RETENTION_DAYS = 30

export const DAY_MS = 24 * 60 * 60 * 1000

/** Whole days from a time (Unix ms) to `now`. */
export function daysOld(timeMs: number, now: number): number {
  return Math.floor((now - timeMs) / DAY_MS)
}

/** Whether a time (Unix ms) is further back than Movable Ink's window (or another number of days). */
export function isBeyondRetention(timeMs: number, now: number, days = RETENTION_DAYS): boolean {
  return now - timeMs > days * DAY_MS
}
