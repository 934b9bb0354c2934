/** An answer the API gives as an error: an HTTP status and a message that names the problem. */
export class StudioError extends Error {
  readonly name = 'StudioError'
  constructor(readonly status: number, message: string, readonly details?: Record<string, unknown>) {
    super(message)
  }
}
