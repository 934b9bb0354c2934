import { createServer } from 'http'
import type { Server } from 'http'
import { MAX_REQUEST_BYTES } from '../destinations/movable-ink/limits'
import { basicAuthorization } from '../destinations/movable-ink/basicAuthorization'
import { endpointPath } from '../destinations/movable-ink/movableInkUrl'
import type { CompiledEndpoint, EventEvaluation } from '../endpointModel'
import { readCappedBody } from '../io/httpBody'
import { closeServer, listenOnLoopback, LOOPBACK } from '../io/loopback'
import type { EventVerdict, OldEventMode, UnmappedMode } from './checks'
import { Exchange } from './exchange'
import { seededRandom } from '../io/seededRandom'
import type { Faults } from './faults'
import { handleRequest } from './handleRequest'
import type { StandInContext } from './handleRequest'
import { StandInRecord } from './record'
import { newStats } from './stats'
import type { StandInStats } from './stats'

/**
 * A Movable Ink Customer Data Endpoint stand-in on loopback, as far as the real one is known (the project's
 * docs on Movable Ink's side): `POST /behavioral/<key>` only, `x-request-id` on every answer, basic auth, one
 * JSON object or `{"events": [...]}` within the size and count limits, each event evaluated against the
 * endpoint's event mappings (handleRequest.ts). It records each accepted request, with what each event became,
 * durably before it answers 200 (record.ts). Like Movable Ink it does not deduplicate; it counts duplicates.
 */

/** The endpoint key the stand-in answers on when no endpoint file gives one. */
export const STAND_IN_KEY = 'local-stand-in'

/**
 * How long a stopping stand-in lets the requests in flight finish before it ends their connections: a client
 * sending a byte a second, or an injected slow answer (whose timer is cleared), must not hold it open.
 */
const CLOSE_GRACE_MS = 500

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

export interface StandIn {
  url: string
  port: number
  recordFile: string | false
  stats: StandInStats
  close(): Promise<void>
}

function contextOf(options: StandInOptions, timers: Set<NodeJS.Timeout>): StandInContext {
  return {
    endpointKey: options.endpoint?.spec.endpointKey ?? STAND_IN_KEY,
    endpoint: options.endpoint,
    modes: { unmapped: options.unmapped ?? 'reject', olderThan30Days: options.olderThan30Days ?? 'reject' },
    expectedAuthorization: Buffer.from(basicAuthorization(options.username, options.password)),
    faults: options.faults ?? {},
    random: options.seed === undefined ? Math.random : seededRandom(options.seed),
    record: StandInRecord.open(options.record),
    stats: newStats(),
    seen: new Set(),
    now: options.now ?? Date.now,
    onEvent: options.onEvent,
    delay: (ms, run) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        run()
      }, ms)
      timers.add(timer)
    }
  }
}

export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  const timers = new Set<NodeJS.Timeout>()
  const open = new Set<Exchange>()
  const context = contextOf(options, timers)
  const server: Server = createServer((req, res) => {
    const serve = async () => {
      const { body, bytes } = await readCappedBody(req, MAX_REQUEST_BYTES)
      const exchange = new Exchange(req, res, bytes, context.stats, options.log)
      // A connection that closes before its answer (the client gave up, or the stand-in stopped) is still
      // counted and logged, as status 0; an answered request was counted already.
      open.add(exchange)
      res.once('close', () => {
        open.delete(exchange)
        exchange.finish(0, 'connection closed before an answer')
      })
      await handleRequest(context, exchange, body).catch((error: Error) => {
        if (!res.headersSent) exchange.answer(500, `Stand-in failure: ${error.message}`, 'stand-in failure')
      })
    }
    serve().catch(() => req.socket.destroy())
  })
  // Longer than the clients' idle keep-alive (5 s in Node), so the client, not the server, closes idle sockets.
  server.keepAliveTimeout = 10_000
  const port = await listenOnLoopback(server, options.port)
  return {
    url: `http://${LOOPBACK}:${port}${endpointPath(context.endpointKey)}`,
    port,
    recordFile: options.record,
    stats: context.stats,
    close: async () => {
      timers.forEach((timer) => clearTimeout(timer))
      timers.clear()
      await closeServer(server, false, CLOSE_GRACE_MS)
      open.forEach((exchange) => exchange.finish(0, 'not answered: the stand-in stopped'))
      await context.record.close()
    }
  }
}
