import { createHash, randomUUID, timingSafeEqual } from 'crypto'
import { createServer } from 'http'
import type { IncomingMessage, Server, ServerResponse } from 'http'
import type { AddressInfo } from 'net'
import { MAX_REQUEST_BYTES } from '../destinations/movable-ink/limits'
import { basicAuthorization } from '../destinations/movable-ink/basicAuthorization'
import { formatBytes } from '../destinations/movable-ink/prepareEvent'
import { evaluateEvents } from '../endpointModel'
import type { CompiledEndpoint, EventEvaluation } from '../endpointModel'
import { DurableAppender } from './durableAppender'
import { REDACTED_AUTHORIZATION } from './settings'
import { eventsOf, refusalMessage, refuseShape, routeOf, verdictOf } from './standInChecks'
import type { EventVerdict, OldEventMode, UnmappedMode } from './standInChecks'
import { pickFault, seededRandom } from './standInFaults'
import type { Faults } from './standInFaults'

/**
 * A Movable Ink Customer Data Endpoint stand-in on loopback, as far as the real one is known
 * (movable-ink-collector.md): `POST /behavioral/<key>` only (an unknown key is a JSON 404 before
 * authentication, any other path a plain-text 404), `x-request-id` on every answer, basic auth (401), one
 * JSON object or `{"events": [...]}` within the size and count limits (413), and each event evaluated against
 * the endpoint's event mappings. It appends each accepted request, with what each event became, to a JSON Lines
 * file, flushed to disk before it answers 200. Like Movable Ink it does not deduplicate; it counts duplicates.
 */

export type { Faults } from './standInFaults'
export type { OldEventMode, UnmappedMode } from './standInChecks'

/** The endpoint key the stand-in answers on when no endpoint file gives one. */
export const STAND_IN_KEY = 'local-stand-in'
export const STAND_IN_PATH = `/behavioral/${STAND_IN_KEY}`

export interface StandInOptions {
  port?: number
  username: string
  password: string
  /** JSON Lines file for accepted requests; false keeps nothing. */
  record: string | false
  faults?: Faults
  /** Seed for the fault dice, for reproducible runs. */
  seed?: number
  /** Called with one line per request (credentials redacted); omit for silence. */
  log?: (line: string) => void
  /** Movable Ink's event mappings; its key is the one the stand-in answers on. Without it, no event is evaluated. */
  endpoint?: CompiledEndpoint
  /** An event no active mapping can take: refuse the request (default) or store it anyway. */
  unmapped?: UnmappedMode
  /** An event older than 30 days: refuse the request (default), answer 200 without keeping it, or keep it. */
  olderThan30Days?: OldEventMode
  /** Called for each event of each request answered 200 or refused, with its fate (for the demo's table). */
  onEvent?: (event: unknown, evaluation: EventEvaluation | undefined, verdict: EventVerdict) => void
  /** The clock, for the 30-day window (tests). */
  now?: () => number
}

export interface StandInStats {
  requests: number
  accepted: number
  /** Events stored. */
  events: number
  /** Events stored whose messageId had been stored before (Movable Ink keeps both). */
  duplicates: number
  /** Events answered 200 but not kept (older than 30 days, with --older-than-30-days drop). */
  dropped: number
  /** Events in refused requests (unmapped, too old). */
  refusedEvents: number
  byStatus: Record<string, number>
}

export interface StandIn {
  url: string
  port: number
  recordFile: string | false
  stats: StandInStats
  close(): Promise<void>
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers
  })
  res.end(text)
}

function redactedHeaders(req: IncomingMessage): Record<string, string | string[] | undefined> {
  const headers: Record<string, string | string[] | undefined> = { ...req.headers }
  if (headers.authorization !== undefined) headers.authorization = REDACTED_AUTHORIZATION
  if (headers['proxy-authorization'] !== undefined) headers['proxy-authorization'] = '[redacted]'
  return headers
}

function readBody(req: IncomingMessage, then: (body: Buffer | undefined, bytes: number) => void): void {
  const declared = Number(req.headers['content-length'])
  let tooLarge = Number.isFinite(declared) && declared >= MAX_REQUEST_BYTES
  const chunks: Buffer[] = []
  let bytes = 0
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length
    if (bytes >= MAX_REQUEST_BYTES) tooLarge = true
    if (!tooLarge) chunks.push(chunk)
  })
  req.on('end', () => then(tooLarge ? undefined : Buffer.concat(chunks, bytes), bytes))
  req.on('error', () => req.socket.destroy())
}

/** What the record keeps of each event besides the body: its mapping and extracted fields, or why it was dropped. */
function storedEvent(event: unknown, evaluation: EventEvaluation | undefined, verdict: EventVerdict) {
  const messageId = (event as { messageId?: unknown } | null)?.messageId
  return {
    messageId: typeof messageId === 'string' ? messageId : null,
    fate: verdict.fate,
    ...(verdict.reason ? { reason: verdict.reason } : {}),
    ...(evaluation
      ? {
          mapping: evaluation.mapping?.name ?? null,
          fields: Object.fromEntries(evaluation.fields.map((f) => [f.name, f.value ?? null])),
          problems: evaluation.problems.map((p) => p.message)
        }
      : {})
  }
}

export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  const expected = Buffer.from(basicAuthorization(options.username, options.password))
  const random = options.seed === undefined ? Math.random : seededRandom(options.seed)
  const faults = options.faults ?? {}
  const endpointKey = options.endpoint?.spec.endpointKey ?? STAND_IN_KEY
  const modes = { unmapped: options.unmapped ?? 'reject', olderThan30Days: options.olderThan30Days ?? 'reject' }
  const appender = options.record ? await DurableAppender.open(options.record) : undefined
  const stats: StandInStats = {
    requests: 0,
    accepted: 0,
    events: 0,
    duplicates: 0,
    dropped: 0,
    refusedEvents: 0,
    byStatus: {}
  }
  const seen = new Set<string>()
  const slowTimers = new Set<NodeJS.Timeout>()

  const authorized = (req: IncomingMessage) => {
    const given = Buffer.from(req.headers.authorization ?? '')
    return given.length === expected.length && timingSafeEqual(given, expected)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer | undefined, bytes: number) => {
    const started = Date.now()
    const requestId = randomUUID()
    stats.requests++
    const finish = (status: number, note: string) => {
      stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1
      const auth = req.headers.authorization ? REDACTED_AUTHORIZATION : 'none'
      options.log?.(
        `${new Date(started).toISOString()} ${req.method} ${req.url} -> ${status} ${note} (${formatBytes(
          bytes
        )}, authorization: ${auth}, request id ${requestId})`
      )
    }
    const answer = (status: number, message: string, note: string, headers: Record<string, string> = {}) => {
      send(res, status, { message, request_id: requestId }, { 'x-request-id': requestId, ...headers })
      finish(status, note)
    }
    const route = routeOf(req.url, endpointKey)
    if (route.kind === 'not-found') {
      const text = '404 page not found'
      res.writeHead(404, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': String(text.length),
        'x-request-id': requestId
      })
      res.end(text)
      return finish(404, 'no such path')
    }
    if (route.kind === 'unknown-key') return answer(404, 'Behavioral endpoint key not found', 'unknown endpoint key')
    if (req.method !== 'POST') return answer(405, 'Only POST is accepted', 'method not allowed', { allow: 'POST' })
    if (!authorized(req)) {
      const note = req.headers.authorization ? 'wrong credentials' : 'no credentials'
      return answer(401, 'Invalid credentials', note, { 'www-authenticate': 'Basic realm="Movable Ink stand-in"' })
    }
    if (body === undefined || bytes >= MAX_REQUEST_BYTES)
      return answer(
        413,
        `Request body is ${bytes} bytes; requests must be under ${MAX_REQUEST_BYTES} bytes`,
        'too large'
      )
    let parsed: unknown
    try {
      parsed = JSON.parse(body.toString('utf8'))
    } catch (error) {
      return answer(400, `Body is not JSON: ${(error as Error).message}`, 'not JSON')
    }
    const refusal = refuseShape(parsed, bytes)
    if (refusal) return answer(refusal.status, refusal.message, refusal.note)

    const events = eventsOf(parsed)
    const evaluations = options.endpoint ? await evaluateEvents(options.endpoint, events) : []
    const now = options.now?.() ?? Date.now()
    const verdicts = events.map((_, i) => verdictOf(evaluations[i], { ...modes, now }))
    if (verdicts.some((v) => v.fate === 'refused')) {
      stats.refusedEvents += events.length
      events.forEach((event, i) => options.onEvent?.(event, evaluations[i], verdicts[i]))
      return answer(400, refusalMessage(events, verdicts), 'refused: ' + verdicts.find((v) => v.reason)?.reason)
    }

    const fault = pickFault(random(), faults)
    if (fault?.kind === 'drop') {
      finish(0, 'injected: connection dropped')
      req.socket.destroy()
      return
    }
    if (fault?.kind === 'status') {
      const retryAfter: Record<string, string> =
        faults.retryAfterSeconds === undefined ? {} : { 'retry-after': String(faults.retryAfterSeconds) }
      const message = fault.status === 429 ? 'Too many requests (injected)' : 'Internal error (injected)'
      return answer(fault.status, message, `injected: ${fault.status}`, fault.status === 429 ? retryAfter : {})
    }
    const delay = fault?.kind === 'slow' ? fault.delayMs : 0

    const accept = async () => {
      const kept = events.map((event, i) => storedEvent(event, evaluations[i], verdicts[i]))
      if (appender) {
        const record = {
          receivedAt: new Date(started).toISOString(),
          requestId,
          method: req.method,
          url: req.url,
          headers: redactedHeaders(req),
          bytes,
          bodySha256: createHash('sha256').update(body).digest('hex'),
          body: parsed,
          movableInk: kept
        }
        await appender.append(JSON.stringify(record) + '\n')
      }
      stats.accepted++
      let stored = 0
      let duplicates = 0
      kept.forEach((k, i) => {
        options.onEvent?.(events[i], evaluations[i], verdicts[i])
        if (k.fate !== 'stored') {
          stats.dropped++
          return
        }
        stored++
        if (k.messageId !== null && seen.has(k.messageId)) duplicates++
        if (k.messageId !== null) seen.add(k.messageId)
      })
      stats.events += stored
      stats.duplicates += duplicates
      if (res.destroyed) return finish(0, 'client went away')
      const dropped = events.length - stored
      send(
        res,
        200,
        { message: 'ok', events: stored, ...(dropped ? { dropped } : {}), request_id: requestId },
        { 'x-request-id': requestId }
      )
      const mappings = kept.map((k) => (k.mapping === undefined ? '' : k.mapping ?? 'no mapping'))
      const shownMappings = options.endpoint ? `: ${[...new Set(mappings)].join(', ')}` : ''
      const slow = delay ? `, answered after ${delay} ms (injected)` : ''
      finish(
        200,
        `${stored} event${stored === 1 ? '' : 's'}${dropped ? `, ${dropped} dropped (too old)` : ''}${
          duplicates ? `, ${duplicates} duplicate${duplicates === 1 ? '' : 's'} by messageId` : ''
        }${shownMappings}${slow}`
      )
    }
    const run = () =>
      accept().catch((error: Error) => answer(500, `Could not store the request: ${error.message}`, 'storage failed'))
    if (!delay) return run()
    const timer = setTimeout(() => {
      slowTimers.delete(timer)
      void run()
    }, delay)
    slowTimers.add(timer)
  }

  const server: Server = createServer((req, res) => {
    readBody(req, (body, bytes) => {
      handle(req, res, body, bytes).catch((error: Error) => {
        if (!res.headersSent) send(res, 500, { message: `Stand-in failure: ${error.message}` })
      })
    })
  })
  // Longer than the clients' idle keep-alive (5 s in Node), so the client, not the server, closes idle sockets.
  server.keepAliveTimeout = 10_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/behavioral/${encodeURIComponent(endpointKey)}`,
    port,
    recordFile: options.record,
    stats,
    close: async () => {
      slowTimers.forEach((timer) => clearTimeout(timer))
      slowTimers.clear()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
      })
      await appender?.close()
    }
  }
}

/** Where the stand-in records by default: a new file per run under .movable-ink/ in the working directory. */
export function defaultRecordFile(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')
  return `.movable-ink/received-${stamp}-${process.pid}.jsonl`
}
