import { isObject } from '@segment/actions-core'

/** What the readers make of their input: events, and malformed pieces with where they are and why. */

export type EventRecord = Record<string, unknown>

export interface EventItem {
  kind: 'event'
  event: EventRecord
  source: string
  line: number
}

export interface MalformedItem {
  kind: 'malformed'
  source: string
  line: number
  raw: string
  reason: string
}

export type InputItem = EventItem | MalformedItem

/** The key of a failed-events record: `{ "movableInkFailure": {...}, "event": {...} }` or `{ ..., "raw": "..." }`. */
export const FAILURE_KEY = 'movableInkFailure'

export function malformed(source: string, line: number, raw: string, reason: string): MalformedItem {
  return { kind: 'malformed', source, line, raw, reason }
}

/**
 * One piece of JSON text (a line, an element, a document) to an input item. Records from a failed-events file
 * (written by `send --failed`) are unwrapped, so that file can be sent again as it is.
 */
export function toItem(text: string, source: string, line: number): InputItem {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return malformed(source, line, text, `not valid JSON (${(error as Error).message})`)
  }
  if (!isObject(value)) {
    const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`
    return malformed(source, line, text, `not an event: expected a JSON object, found ${what}`)
  }
  const failure = value[FAILURE_KEY]
  if (isObject(failure)) {
    if (isObject(value.event)) return { kind: 'event', event: value.event, source, line }
    if (typeof value.raw === 'string') return toItem(value.raw, source, line)
  }
  return { kind: 'event', event: value, source, line }
}
