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
   * Send events to Movable Ink in batches: each request carries up to Batch Size events as {"events": [...]}, the batch format of Movable Ink's collector, and stays under 1 MB (the limit RudderStack load-tested for Movable Ink; Movable Ink publishes none for batches).
   */
  enable_batching?: boolean
  /**
   * Maximum number of events in one batched request (1 to 1000). Requests are also split so that each stays under 1 MB (the batch limit RudderStack load-tested for Movable Ink).
   */
  batch_size?: number
}
