import { timingSafeEqual } from 'crypto'
import { MAX_REQUEST_BYTES } from '../destinations/movable-ink/limits'
import { evaluateEvents } from '../endpointModel'
import type { CompiledEndpoint, EventEvaluation } from '../endpointModel'
import { eventsOf, refusalMessage, refuseDepth, refuseShape, routeOf, fateOf } from './checks'
import type { EventVerdict, OldEventMode, UnmappedMode } from './checks'
import type { Exchange } from './exchange'
import { pickFault } from './faults'
import type { Faults } from './faults'
import { storedEvent } from './record'
import type { StandInRecord } from './record'
import type { StandInStats } from './stats'

/**
 * What the stand-in does with one request, in Movable Ink's order as far as it is known: route (an unknown key
 * is a JSON 404 before authentication), method, basic auth, size, JSON, shape, nesting, then each event against
 * the event mappings; then the injected faults; then the record, durable before the 200.
 */

export interface StandInContext {
  endpointKey: string
  endpoint?: CompiledEndpoint
  modes: { unmapped: UnmappedMode; olderThan30Days: OldEventMode }
  expectedAuthorization: Buffer
  faults: Faults
  random: () => number
  record: StandInRecord
  stats: StandInStats
  /** messageIds stored so far, to count duplicates (Movable Ink keeps them all). */
  seen: Set<string>
  now: () => number
  delay: (ms: number, run: () => void) => void
  onEvent?: (event: unknown, evaluation: EventEvaluation | undefined, verdict: EventVerdict) => void
}

function authorized(context: StandInContext, exchange: Exchange): boolean {
  const given = Buffer.from(exchange.req.headers.authorization ?? '')
  const expected = context.expectedAuthorization
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** The refusals that come before the body is read as JSON; true when the request was answered. */
function refusedUpfront(context: StandInContext, exchange: Exchange, body: Buffer | undefined): boolean {
  const route = routeOf(exchange.req.url, context.endpointKey)
  if (route.kind === 'not-found') exchange.notFound()
  else if (route.kind === 'unknown-key')
    exchange.answer(404, 'Behavioral endpoint key not found', 'unknown endpoint key')
  else if (exchange.req.method !== 'POST')
    exchange.answer(405, 'Only POST is accepted', 'method not allowed', { allow: 'POST' })
  else if (!authorized(context, exchange)) {
    const note = exchange.req.headers.authorization ? 'wrong credentials' : 'no credentials'
    exchange.answer(401, 'Invalid credentials', note, { 'www-authenticate': 'Basic realm="Movable Ink stand-in"' })
  } else if (body === undefined || exchange.bytes >= MAX_REQUEST_BYTES) {
    const message = `Request body is ${exchange.bytes} bytes; requests must be under ${MAX_REQUEST_BYTES} bytes`
    exchange.answer(413, message, 'too large')
  } else return false
  return true
}

function parseJson(exchange: Exchange, body: Buffer): { value: unknown; text: string } | undefined {
  const text = body.toString('utf8')
  try {
    return { value: JSON.parse(text), text }
  } catch (error) {
    exchange.answer(400, `Body is not JSON: ${(error as Error).message}`, 'not JSON')
    return undefined
  }
}

/** A refusal of the whole request for some of its events (nested too deep, unmapped, too old). */
function refuseEvents(
  context: StandInContext,
  exchange: Exchange,
  events: unknown[],
  evaluations: (EventEvaluation | undefined)[],
  verdicts: EventVerdict[]
) {
  context.stats.refusedEvents += events.length
  events.forEach((event, i) => context.onEvent?.(event, evaluations[i], verdicts[i]))
  const reason = verdicts.find((v) => v.reason)?.reason
  return exchange.answer(400, refusalMessage(events, verdicts), `refused: ${reason}`)
}

export async function handleRequest(context: StandInContext, exchange: Exchange, body: Buffer | undefined) {
  if (refusedUpfront(context, exchange, body) || !body) return
  const parsed = parseJson(exchange, body)
  if (!parsed) return
  const refusal = refuseShape(parsed.value, exchange.bytes)
  if (refusal) return exchange.answer(refusal.status, refusal.message, refusal.note)
  const events = eventsOf(parsed.value)
  const deep = refuseDepth(parsed.text, events)
  if (deep) return refuseEvents(context, exchange, events, [], deep.verdicts)
  const evaluations = context.endpoint ? await evaluateEvents(context.endpoint, events) : []
  const now = context.now()
  const verdicts = events.map((_, i) => fateOf(evaluations[i], { ...context.modes, now }))
  if (verdicts.some((v) => v.fate === 'refused')) return refuseEvents(context, exchange, events, evaluations, verdicts)
  const accepted = { body, parsed: parsed.value, events, evaluations, verdicts }
  return withFaults(context, exchange, (delayMs) => accept(context, exchange, accepted, delayMs))
}

/** Injects the fault the dice pick, if any; else (or after the injected delay) accepts. */
function withFaults(context: StandInContext, exchange: Exchange, accept: (delayMs: number) => Promise<void>) {
  const fault = pickFault(context.random(), context.faults)
  if (fault?.kind === 'drop') return exchange.drop('injected: connection dropped')
  if (fault?.kind === 'status') {
    const seconds = context.faults.retryAfterSeconds
    const retryAfter: Record<string, string> =
      fault.status === 429 && seconds !== undefined ? { 'retry-after': String(seconds) } : {}
    const message = fault.status === 429 ? 'Too many requests (injected)' : 'Internal error (injected)'
    return exchange.answer(fault.status, message, `injected: ${fault.status}`, retryAfter)
  }
  const delayMs = fault?.kind === 'slow' ? fault.delayMs : 0
  const run = () =>
    accept(delayMs).catch((error: Error) =>
      exchange.answer(500, `Could not store the request: ${error.message}`, 'storage failed')
    )
  if (!delayMs) return run()
  context.delay(delayMs, () => void run())
}

interface Accepted {
  body: Buffer
  parsed: unknown
  events: unknown[]
  evaluations: EventEvaluation[]
  verdicts: EventVerdict[]
}

async function accept(context: StandInContext, exchange: Exchange, request: Accepted, delayMs: number) {
  const { events, evaluations, verdicts } = request
  const kept = events.map((event, i) => storedEvent(event, evaluations[i], verdicts[i]))
  const { req, requestId, started, bytes } = exchange
  await context.record.add({ req, requestId, started, bytes, body: request.body, parsed: request.parsed, kept })
  context.stats.accepted++
  let [stored, duplicates] = [0, 0]
  kept.forEach((k, i) => {
    context.onEvent?.(events[i], evaluations[i], verdicts[i])
    if (k.fate !== 'stored') return void context.stats.dropped++
    stored++
    if (k.messageId !== null && context.seen.has(k.messageId)) duplicates++
    if (k.messageId !== null) context.seen.add(k.messageId)
  })
  context.stats.events += stored
  context.stats.duplicates += duplicates
  const dropped = events.length - stored
  const answer = { message: 'ok', events: stored, ...(dropped ? { dropped } : {}), request_id: exchange.requestId }
  exchange.json(200, answer, acceptedNote(context, kept, { stored, dropped, duplicates, delayMs }))
}

function acceptedNote(
  context: StandInContext,
  kept: { mapping?: string | null }[],
  counts: { stored: number; dropped: number; duplicates: number; delayMs: number }
): string {
  const { stored, dropped, duplicates, delayMs } = counts
  const mappings = kept.map((k) => (k.mapping === undefined ? '' : k.mapping ?? 'no mapping'))
  return [
    `${stored} event${stored === 1 ? '' : 's'}`,
    dropped ? `, ${dropped} dropped (too old)` : '',
    duplicates ? `, ${duplicates} duplicate${duplicates === 1 ? '' : 's'} by messageId` : '',
    context.endpoint ? `: ${[...new Set(mappings)].join(', ')}` : '',
    delayMs ? `, answered after ${delayMs} ms (injected)` : ''
  ].join('')
}
