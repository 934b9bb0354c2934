import { randomUUID } from 'crypto'
import type { IncomingMessage, ServerResponse } from 'http'
import { formatBytes } from '../destinations/movable-ink/prepareEvent'
import { sendJson } from '../io/httpBody'
import { REDACTED_AUTHORIZATION } from '../runtime/redactor'
import type { StandInStats } from './stats'

/**
 * One request and its answer: every answer carries the request's id (`x-request-id`, and `request_id` in a
 * JSON body, as Movable Ink's do), and every request is counted and logged once, by the status it got.
 */
export class Exchange {
  readonly requestId = randomUUID()
  readonly started = Date.now()
  private finished = false

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly bytes: number,
    private readonly stats: StandInStats,
    private readonly log?: (line: string) => void
  ) {
    stats.requests++
  }

  /** Counts and logs the request once; status 0 is a connection closed without an answer. */
  finish(status: number, note: string): void {
    if (this.finished) return
    this.finished = true
    this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1
    const auth = this.req.headers.authorization ? REDACTED_AUTHORIZATION : 'none'
    const size = formatBytes(this.bytes)
    this.log?.(
      `${new Date(this.started).toISOString()} ${this.req.method} ${
        this.req.url
      } -> ${status} ${note} (${size}, authorization: ${auth}, request id ${this.requestId})`
    )
  }

  /** A JSON answer `{message, request_id}`. */
  answer(status: number, message: string, note: string, headers: Record<string, string> = {}): void {
    this.json(status, { message, request_id: this.requestId }, note, headers)
  }

  json(status: number, body: Record<string, unknown>, note: string, headers: Record<string, string> = {}): void {
    if (this.res.destroyed) return this.finish(0, 'client went away')
    sendJson(this.res, status, body, { 'x-request-id': this.requestId, ...headers })
    this.finish(status, note)
  }

  /** What Movable Ink answers for a path that is no endpoint at all: plain text. */
  notFound(): void {
    const text = '404 page not found'
    this.res.writeHead(404, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': String(text.length),
      'x-request-id': this.requestId
    })
    this.res.end(text)
    this.finish(404, 'no such path')
  }

  /** Closes the connection without an answer (an injected fault). */
  drop(note: string): void {
    this.finish(0, note)
    this.req.socket.destroy()
  }
}
