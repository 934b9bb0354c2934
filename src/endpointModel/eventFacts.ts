import { isObject } from '@segment/actions-core'
import type { FieldResult } from './types'

/** Facts about a Segment event that the evaluation reports: a match criterion for it, and when it happened. */

/** A match criterion that would take this event, in the form Movable Ink's dashboard uses. */
export function suggestedMatch(event: unknown): string {
  if (!isObject(event) || typeof event.type !== 'string') return '.type == "<the event\'s type>"'
  const type = `.type == ${JSON.stringify(event.type)}`
  if (event.type === 'track' && typeof event.event === 'string')
    return `${type} and .event == ${JSON.stringify(event.event)}`
  if ((event.type === 'page' || event.type === 'screen') && typeof event.name === 'string')
    return `${type} and .name == ${JSON.stringify(event.name)}`
  return type
}

/** Below this a Unix time is in seconds (1e11 ms is 1973; 1e11 s is the year 5138). */
const SECONDS_BELOW = 1e11

/**
 * When the event happened, in Unix ms: the mapped Timestamp field when it is a number (what Movable Ink keeps),
 * else the event's own ISO 8601 `timestamp`.
 */
export function timestampMsOf(fields: FieldResult[], event: unknown): number | undefined {
  const mapped = fields.find((f) => f.name.toLowerCase() === 'timestamp')?.value
  if (typeof mapped === 'number' && Number.isFinite(mapped)) return mapped < SECONDS_BELOW ? mapped * 1000 : mapped
  const given = isObject(event) ? event.timestamp : undefined
  const parsed = typeof given === 'string' ? Date.parse(given) : NaN
  return Number.isNaN(parsed) ? undefined : parsed
}
