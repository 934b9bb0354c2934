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
   * Send events to Movable Ink in batches: each request carries up to Batch Size events as {"events": [...]}, the batch format of Movable Ink's collector, and stays under 1 MB.
   */
  enable_batching?: boolean
  /**
   * Maximum number of events in one batched request (1 to 1000). Requests are also split so that each stays under Movable Ink's 1 MB batch limit.
   */
  batch_size?: number
}
