// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * HTTP headers to send with each request. Only ASCII characters are supported.
   */
  headers?: {
    [k: string]: unknown
  }
  /**
   * Payload to deliver to webhook URL (JSON-encoded).
   */
  data?: {
    [k: string]: unknown
  }
  /**
   * Send events to Movable Ink in batches: each request carries a JSON array of Data objects. Only turn this on if your Movable Ink endpoint accepts arrays.
   */
  enable_batching?: boolean
  /**
   * Maximum number of events in one batched request (at most 1000). Requests are also split so that each stays under Movable Ink's 2 MB limit.
   */
  batch_size?: number
}
