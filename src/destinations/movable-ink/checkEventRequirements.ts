import { PayloadValidationError } from '@segment/actions-core'
import { isAbsentId } from './absentId'

/** ISO 8601 date, optionally with a time: what Segment's libraries send as `timestamp`. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/

function describe(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'null'
  const text = JSON.stringify(value)
  return `${typeof value} ${text.length > 40 ? text.slice(0, 40) + '…' : text}`
}

/** An id Movable Ink can use: not absent (see absentId.ts), and a string or a finite number. */
function isPresentId(value: unknown): boolean {
  if (isAbsentId(value)) return false
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))
}

function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE.test(value.trim()) && !Number.isNaN(Date.parse(value))
}

/**
 * The event's other times, in the order a timestamp is best taken from: messages of other pipelines (and
 * some libraries) carry `originalTimestamp` but no `timestamp`; `receivedAt` and `sentAt` are Segment's.
 */
const OTHER_TIMES = ['originalTimestamp', 'receivedAt', 'sentAt']

/**
 * The Data mapping that sends `field` as the timestamp: merged under the event's own timestamp when the event
 * has none (events that do keep theirs), over it when the event's is unusable.
 */
export function timestampMapping(field: string, replace: boolean): string {
  const objects = `[{"@path": "$."}, {"timestamp": {"@path": "$.${field}"}}]`
  return `{"@merge": {"direction": "${replace ? 'right' : 'left'}", "objects": ${objects}}}`
}

/** What to do about a missing or unusable timestamp, from what else the event carries. */
function timestampFix(event: Record<string, unknown>): string {
  const other = OTHER_TIMES.find((field) => isIsoDate(event[field]))
  if (other !== undefined) {
    const replace = event.timestamp !== undefined
    return `. The event has "${other}" (${
      event[other] as string
    }): to send it as the timestamp, map the Data field to ${timestampMapping(other, replace)}${
      replace ? '' : ' (events that have a timestamp keep theirs)'
    }.`
  }
  if (event.timestamp === undefined && isEngageCall(event))
    return '. This is an Engage (Personas) call: Engage\'s real calls carry a timestamp, and only the examples in Segment\'s documentation leave it out; test with a call Engage really sent, or add a "timestamp" to the example.'
  return ': send events with their timestamp, or map one into the Data field.'
}

/** Whether an event came from Segment Engage (audiences, computed traits): its messageId or its context says so. */
export function isEngageCall(event: Record<string, unknown>): boolean {
  if (typeof event.messageId === 'string' && event.messageId.startsWith('personas_')) return true
  const context = event.context
  return typeof context === 'object' && context !== null && 'personas' in context
}

/** The `timestamp` rule: a sentence naming the problem and the fix, or undefined when the event meets it. */
export function timestampProblem(event: Record<string, unknown>): string | undefined {
  const timestamp = event.timestamp
  if (isIsoDate(timestamp)) return undefined
  return `Movable Ink requires a "timestamp" that is an ISO 8601 date (for example "2024-05-01T12:00:00.000Z"), but it is ${describe(
    timestamp
  )}${timestampFix(event)}`
}

/** The identity rule: a `userId` or an `anonymousId`; the problem as a sentence, or undefined. */
export function identityProblem(event: Record<string, unknown>): string | undefined {
  if (isPresentId(event.userId) || isPresentId(event.anonymousId)) return undefined
  return 'Movable Ink requires a "userId" or an "anonymousId", but the event has neither: identify the user, or map one of them into the Data field.'
}

/**
 * Movable Ink's rules for every event (see the Movable Ink (Actions) docs, "Event Requirements"): a
 * `timestamp` that parses as a date, and a `userId` or an `anonymousId`. Returns the problems found, each a
 * sentence naming the field and the fix; an empty list means the event may be sent.
 */
export function findRequirementProblems(data: Record<string, unknown> | undefined): string[] {
  const event = data ?? {}
  return [timestampProblem(event), identityProblem(event)].filter((p): p is string => p !== undefined)
}

/** Throws a PayloadValidationError listing every unmet requirement. */
export function checkEventRequirements(data: Record<string, unknown> | undefined): void {
  const problems = findRequirementProblems(data)
  if (problems.length > 0) throw new PayloadValidationError(problems.join(' '))
}
