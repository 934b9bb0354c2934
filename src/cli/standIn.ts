import { createHash, timingSafeEqual } from 'crypto'
import { mkdirSync } from 'fs'
import { open } from 'fs/promises'
import type { FileHandle } from 'fs/promises'
import { createServer } from 'http'
import type { IncomingMessage, Server, ServerResponse } from 'http'
import type { AddressInfo } from 'net'
import { dirname } from 'path'
import { isObject } from '@segment/actions-core'
import { MAX_BATCH_REQUEST_BYTES, MAX_BATCH_SIZE, MAX_REQUEST_BYTES } from '../destinations/movable-ink/limits'
import { basicAuthorization } from '../destinations/movable-ink/basicAuthorization'
import { formatBytes } from '../destinations/movable-ink/prepareEvent'
import { REDACTED_AUTHORIZATION } from './settings'

/**
 * A Movable Ink endpoint stand-in on loopback: it checks basic auth (401), refuses bodies of 2 MB or more
 * (413) and bodies that are not JSON (400), and appends each accepted request to a JSON Lines file, flushed to
 * disk (fdatasync) before it answers 200. Faults can be injected for testing retries.
 */

/** Where the stand-in says it listens: the shape of a Movable Ink endpoint URL, with a made-up endpoint key. */
export const STAND_IN_PATH = '/behavioral/local-stand-in'

export interface Faults {
  /** Share of accepted requests (0..1) answered 429 with a Retry-After header. */
  rate429?: number
  /** The Retry-After of those 429s, in seconds. */
  retryAfterSeconds?: number
  /** Share answered 500. */
  rate500?: number
  /** Share whose connection is dropped without an answer. */
  rateDrop?: number
  /** Share answered late, after `slowMs`. */
  rateSlow?: number
  slowMs?: number
}

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
  /** The path the endpoint answers on (others get 404); default: any path. */
  path?: string
}

export interface StandInStats {
  requests: number
  accepted: number
  events: number
  byStatus: Record<string, number>
}

export interface StandIn {
  url: string
  port: number
  recordFile: string | false
  stats: StandInStats
  close(): Promise<void>
}

/** A small seeded generator (mulberry32), so that a given seed injects the same faults in the same order. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Appends lines to a file and makes them durable; concurrent appends share one write and one fdatasync. */
class DurableAppender {
  private queue: { text: string; done: (error?: Error) => void }[] = []
  private flushing = false

  private constructor(private readonly handle: FileHandle) {}

  static async open(path: string): Promise<DurableAppender> {
    mkdirSync(dirname(path), { recursive: true })
    return new DurableAppender(await open(path, 'a'))
  }

  append(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ text, done: (error) => (error ? reject(error) : resolve()) })
      if (!this.flushing) void this.flush()
    })
  }

  private async flush(): Promise<void> {
    this.flushing = true
    while (this.queue.length > 0) {
      const batch = this.queue
      this.queue = []
      try {
        await this.handle.write(batch.map((entry) => entry.text).join(''))
        await this.handle.datasync()
        batch.forEach((entry) => entry.done())
      } catch (error) {
        batch.forEach((entry) => entry.done(error as Error))
      }
    }
    this.flushing = false
  }

  async close(): Promise<void> {
    while (this.flushing || this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 5))
    await this.handle.close()
  }
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

/**
 * Movable Ink's collector takes one event as a JSON object, or a batch as `{"events": [...]}` of at most 1,000
 * events and under 1 MB; a bare JSON array was only ever sent by Segment's withdrawn 2023 draft.
 */
function refuseShape(parsed: unknown, bytes: number): { status: number; message: string; note: string } | undefined {
  if (Array.isArray(parsed)) {
    return {
      status: 400,
      message: 'Movable Ink expects a batch as {"events": [...]}, not a bare JSON array',
      note: 'bare JSON array'
    }
  }
  if (!isObject(parsed)) return { status: 400, message: 'Body must be a JSON object', note: 'not an object' }
  if (!Array.isArray(parsed.events)) return undefined
  if (parsed.events.length > MAX_BATCH_SIZE) {
    const message = `The batch holds ${parsed.events.length} events; at most ${MAX_BATCH_SIZE} are accepted per request`
    return { status: 413, message, note: 'too many events' }
  }
  if (bytes >= MAX_BATCH_REQUEST_BYTES) {
    const message = `The batch is ${bytes} bytes; batches must be under ${MAX_BATCH_REQUEST_BYTES} bytes`
    return { status: 413, message, note: 'batch too large' }
  }
  return undefined
}

function redactedHeaders(req: IncomingMessage): Record<string, string | string[] | undefined> {
  const headers: Record<string, string | string[] | undefined> = { ...req.headers }
  if (headers.authorization !== undefined) headers.authorization = REDACTED_AUTHORIZATION
  if (headers['proxy-authorization'] !== undefined) headers['proxy-authorization'] = '[redacted]'
  return headers
}

export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  const expected = Buffer.from(basicAuthorization(options.username, options.password))
  const random = options.seed === undefined ? Math.random : seededRandom(options.seed)
  const faults = options.faults ?? {}
  const appender = options.record ? await DurableAppender.open(options.record) : undefined
  const stats: StandInStats = { requests: 0, accepted: 0, events: 0, byStatus: {} }
  const log = options.log
  const slowTimers = new Set<NodeJS.Timeout>()

  const authorized = (req: IncomingMessage) => {
    const given = Buffer.from(req.headers.authorization ?? '')
    return given.length === expected.length && timingSafeEqual(given, expected)
  }

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer | undefined, bytes: number) => {
    const started = Date.now()
    stats.requests++
    const finish = (status: number, note: string) => {
      stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1
      log?.(
        `${new Date(started).toISOString()} ${req.method} ${req.url} -> ${status} ${note} (${formatBytes(
          bytes
        )}, authorization: ${req.headers.authorization ? REDACTED_AUTHORIZATION : 'none'})`
      )
    }
    if (options.path && (req.url ?? '').split('?')[0] !== options.path) {
      send(res, 404, { message: `No endpoint here: post to ${options.path}` })
      return finish(404, 'unknown path')
    }
    if (req.method !== 'POST') {
      send(res, 405, { message: 'Only POST is accepted' }, { allow: 'POST' })
      return finish(405, 'method not allowed')
    }
    if (!authorized(req)) {
      send(res, 401, { message: 'Invalid credentials' }, { 'www-authenticate': 'Basic realm="Movable Ink stand-in"' })
      return finish(401, req.headers.authorization ? 'wrong credentials' : 'no credentials')
    }
    if (body === undefined || bytes >= MAX_REQUEST_BYTES) {
      send(res, 413, { message: `Request body is ${bytes} bytes; requests must be under ${MAX_REQUEST_BYTES} bytes` })
      return finish(413, 'too large')
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(body.toString('utf8'))
    } catch (error) {
      send(res, 400, { message: `Body is not JSON: ${(error as Error).message}` })
      return finish(400, 'not JSON')
    }
    const refusal = refuseShape(parsed, bytes)
    if (refusal) {
      send(res, refusal.status, { message: refusal.message })
      return finish(refusal.status, refusal.note)
    }
    const events = isObject(parsed) && Array.isArray(parsed.events) ? parsed.events.length : 1

    const dice = random()
    let threshold = faults.rateDrop ?? 0
    if (dice < threshold) {
      finish(0, 'injected: connection dropped')
      req.socket.destroy()
      return
    }
    threshold += faults.rate429 ?? 0
    if (dice < threshold) {
      send(
        res,
        429,
        { message: 'Too many requests (injected)' },
        { 'retry-after': String(faults.retryAfterSeconds ?? 1) }
      )
      return finish(429, 'injected: too many requests')
    }
    threshold += faults.rate500 ?? 0
    if (dice < threshold) {
      send(res, 500, { message: 'Internal error (injected)' })
      return finish(500, 'injected: server error')
    }
    threshold += faults.rateSlow ?? 0
    const delay = dice < threshold ? faults.slowMs ?? 2000 : 0

    const accept = async () => {
      if (appender) {
        const record = {
          receivedAt: new Date(started).toISOString(),
          method: req.method,
          url: req.url,
          headers: redactedHeaders(req),
          bytes,
          bodySha256: createHash('sha256').update(body).digest('hex'),
          body: parsed
        }
        await appender.append(JSON.stringify(record) + '\n')
      }
      stats.accepted++
      stats.events += events
      if (res.destroyed) return finish(0, 'client went away')
      send(res, 200, { message: 'ok', events })
      finish(200, `${events} event${events === 1 ? '' : 's'}${delay ? `, answered after ${delay} ms (injected)` : ''}`)
    }
    const run = () =>
      accept().catch((error: Error) => {
        send(res, 500, { message: `Could not store the request: ${error.message}` })
        finish(500, 'storage failed')
      })
    if (delay) {
      const timer = setTimeout(() => {
        slowTimers.delete(timer)
        void run()
      }, delay)
      slowTimers.add(timer)
    } else void run()
  }

  const server: Server = createServer((req, res) => {
    const declared = Number(req.headers['content-length'])
    let tooLarge = Number.isFinite(declared) && declared >= MAX_REQUEST_BYTES
    const chunks: Buffer[] = []
    let bytes = 0
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes >= MAX_REQUEST_BYTES) tooLarge = true
      if (!tooLarge) chunks.push(chunk)
    })
    req.on('end', () => handle(req, res, tooLarge ? undefined : Buffer.concat(chunks, bytes), bytes))
    req.on('error', () => res.destroy())
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
    url: `http://127.0.0.1:${port}${options.path ?? STAND_IN_PATH}`,
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
