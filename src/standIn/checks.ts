import { isObject } from '@segment/actions-core'
import { endpointKeyOf } from '../destinations/movable-ink/movableInkUrl'
import type { EventEvaluation } from '../endpointModel'
import { daysOld, isBeyondRetention, MAX_BATCH_REQUEST_BYTES, MAX_BATCH_SIZE } from '../destinations/movable-ink/limits'
import { describeEvent } from '../events/describeEvent'
import { MAX_EVENT_NESTING, mayNestBeyond, tooDeepReason, valueDepth } from '../events/jsonNesting'

/**
 * What the stand-in decides about a request, as far as Movable Ink's Customer Data Endpoint is known
 * (docs/movable-ink-sources.md): its route, its body's shape and limits, and each event's fate under the
 * endpoint's event mappings and the 30-day window.
 */

export type UnmappedMode = 'reject' | 'accept'
export type OldEventMode = 'reject' | 'drop' | 'accept'

export type Route = { kind: 'endpoint' } | { kind: 'unknown-key' } | { kind: 'not-found' }

/** `/behavioral/<key>` is an endpoint; another key there is "not found" as JSON; anything else is a plain 404. */
export function routeOf(url: string | undefined, endpointKey: string): Route {
  const key = endpointKeyOf((url ?? '').split('?')[0])
  if (key === undefined) return { kind: 'not-found' }
  return decoded(key) === endpointKey ? { kind: 'endpoint' } : { kind: 'unknown-key' }
}

/** A key's percent-decoding; a malformed one (`%E0%A4%A`) is a key that no endpoint has. */
function decoded(key: string): string | undefined {
  try {
    return decodeURIComponent(key)
  } catch {
    return undefined
  }
}

export interface Refusal {
  status: number
  message: string
  note: string
}

/**
 * Movable Ink's collector takes one event as a JSON object, or a batch as `{"events": [...]}` of at most 1,000
 * events and under 1 MB (RudderStack's load-tested limits, limits.ts, which the stand-in holds senders to); a bare JSON array was only ever sent by Segment's withdrawn 2023 draft.
 */
export function refuseShape(parsed: unknown, bytes: number): Refusal | undefined {
  if (Array.isArray(parsed)) {
    const message = 'Movable Ink expects a batch as {"events": [...]}, not a bare JSON array'
    return { status: 400, message, note: 'bare JSON array' }
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

/** The events a body holds: a batch's elements, or the body itself. */
export function eventsOf(parsed: unknown): unknown[] {
  return isObject(parsed) && Array.isArray(parsed.events) ? parsed.events : [parsed]
}

/**
 * Events nested deeper than an event may be (events/jsonNesting.ts: Movable Ink's jq reads no deeper, and the
 * event mappings, the record and the log all recurse): the request is refused with a 400 that names them,
 * before anything recursive reads the body. A body with fewer brackets than the limit cannot nest that deep (a
 * native search says so); any other, a batch of ordinary events among them, is measured event by event on the
 * value JSON.parse made (V8 parses without recursion), which visits its objects and arrays only.
 */
export function refuseDepth(
  text: string,
  events: unknown[]
): { refusal: Refusal; verdicts: EventVerdict[] } | undefined {
  if (!mayNestBeyond(text, MAX_EVENT_NESTING)) return undefined
  const verdicts = events.map((event): EventVerdict => {
    const depth = valueDepth(event)
    return depth > MAX_EVENT_NESTING ? { fate: 'refused', reason: tooDeepReason(depth) } : { fate: 'stored' }
  })
  if (!verdicts.some((v) => v.fate === 'refused')) return undefined
  return { refusal: { status: 400, message: refusalMessage(events, verdicts), note: 'nested too deep' }, verdicts }
}

export interface EventVerdict {
  /** Stored, dropped (answered 200 but not kept), or refused (the whole request is refused). */
  fate: 'stored' | 'dropped' | 'refused'
  reason?: string
}

export interface VerdictOptions {
  unmapped: UnmappedMode
  olderThan30Days: OldEventMode
  now: number
}

function eventLabel(event: unknown, index: number, total: number): string {
  const name = isObject(event) ? describeEvent(event) : 'not an object'
  const id =
    isObject(event) && typeof event.messageId === 'string' ? `, messageId ${JSON.stringify(event.messageId)}` : ''
  return total > 1 ? `event ${index + 1} of ${total} (${name}${id})` : `the event (${name}${id})`
}

/** Why Movable Ink could not map the event: its first problem and its fix, if any. */
function mappingProblem(evaluation: EventEvaluation): string | undefined {
  const problem = evaluation.problems[0]
  if (!problem) return undefined
  return problem.fix ? `${problem.message}; fix: ${problem.fix}` : problem.message
}

export function fateOf(evaluation: EventEvaluation | undefined, options: VerdictOptions): EventVerdict {
  const unmappable = evaluation ? mappingProblem(evaluation) : undefined
  if (unmappable && options.unmapped === 'reject') return { fate: 'refused', reason: unmappable }
  const time = evaluation?.timestampMs
  if (time !== undefined && isBeyondRetention(time, options.now) && options.olderThan30Days !== 'accept') {
    const days = daysOld(time, options.now)
    const reason = `its timestamp is ${days} days old; Movable Ink does not accept data older than 30 days`
    return { fate: options.olderThan30Days === 'reject' ? 'refused' : 'dropped', reason }
  }
  return { fate: 'stored' }
}

/** One message naming the refused events (the first three) and why, so the sender can find them. */
export function refusalMessage(events: unknown[], verdicts: EventVerdict[]): string {
  const refused = verdicts.flatMap((v, i) => (v.fate === 'refused' ? [i] : []))
  const named = refused.slice(0, 3).map((i) => `${eventLabel(events[i], i, events.length)}: ${verdicts[i].reason}`)
  const more = refused.length > named.length ? `; and ${refused.length - named.length} more` : ''
  const what = events.length > 1 ? `Refused the batch (${refused.length} of ${events.length} events): ` : 'Refused '
  return `${what}${named.join('; ')}${more}`
}
