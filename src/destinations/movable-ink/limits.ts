/**
 * Movable Ink's published limits. "Requests must be smaller than 2MB": we read 2 MB as 2,000,000 bytes,
 * the stricter of the two readings, so that nothing we send can be refused for its size.
 */
export const MAX_REQUEST_BYTES = 2_000_000

/** Events per batched request when batching is on (the runtime's `batch_size` default). */
export const DEFAULT_BATCH_SIZE = 100

/** The most events one batched request may carry, whatever `batch_size` says. */
export const MAX_BATCH_SIZE = 1000

/** How long Movable Ink keeps event data for personalisation. */
export const RETENTION_DAYS = 30
