import { PayloadValidationError } from '@segment/actions-core'

/** ISO 8601 date, optionally with a time: what Segment's libraries send as `timestamp`. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/

function describe(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'null'
  const text = JSON.stringify(value)
  return `${typeof value} ${text.length > 40 ? text.slice(0, 40) + '…' : text}`
}

function isPresentId(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== ''
  return typeof value === 'number' && Number.isFinite(value)
}

/** The `timestamp` rule: a sentence naming the problem and the fix, or undefined when the event meets it. */
export function timestampProblem(event: Record<string, unknown>): string | undefined {
  const timestamp = event.timestamp
  if (typeof timestamp === 'string' && ISO_DATE.test(timestamp.trim()) && !Number.isNaN(Date.parse(timestamp)))
    return undefined
  return `Movable Ink requires a "timestamp" that is an ISO 8601 date (for example "2024-05-01T12:00:00.000Z"), but it is ${describe(
    timestamp
  )}: send events with their timestamp, or map one into the Data field.`
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
