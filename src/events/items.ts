import { isObject } from '@segment/actions-core'
import { printable } from './printable'
import { MAX_EVENT_NESTING, nestingBeyond, tooDeepReason } from './jsonNesting'
import { unsafeIntegers } from './largeIntegers'
import type { UnsafeInteger } from './largeIntegers'

/** What the readers make of their input: events, and malformed pieces with where they are and why. */

export type EventRecord = Record<string, unknown>

export interface EventItem {
  kind: 'event'
  event: EventRecord
  source: string
  line: number
  /** Integers of the text that JSON numbers cannot hold (beyond 2^53), read from the text itself. */
  unsafeIntegers?: UnsafeInteger[]
}

export interface MalformedItem {
  kind: 'malformed'
  source: string
  line: number
  raw: string
  reason: string
  /**
   * Set when the text is JSON but nothing downstream could process it: `too deep`, nested more than
   * MAX_EVENT_NESTING levels. It is kept out of the runtime like any malformed piece, and reported as refused.
   */
  refused?: 'too deep'
}

export type InputItem = EventItem | MalformedItem

type Where = Pick<EventItem, 'source' | 'line'>

/** The key of a failed-events record: `{ "movableInkFailure": {...}, "event": {...} }` or `{ ..., "raw": "..." }`. */
export const FAILURE_KEY = 'movableInkFailure'

/** A malformed piece; its reason, which quotes the input (JSON.parse's message does), made printable. */
export function malformed(source: string, line: number, raw: string, reason: string): MalformedItem {
  return { kind: 'malformed', source, line, raw, reason: printable(reason) }
}

function tooDeep(source: string, line: number, raw: string, depth: number): MalformedItem {
  return { ...malformed(source, line, raw, tooDeepReason(depth)), refused: 'too deep' }
}

/** How the text is read besides: `unsafeIntegers` also looks for integers beyond 2^53 (preview and the studio). */
export interface ReadOptions {
  unsafeIntegers?: boolean
  /** Stops the reading, quietly, even while it waits for input (the command's stop signal). */
  signal?: AbortSignal
  /** The longest line or array element read as an event (default MAX_LINE_CHARS, 16 MB; lower in tests). */
  maxLineChars?: number
}

function eventItem(event: EventRecord, text: string, where: Where, options: ReadOptions, under?: string): EventItem {
  const { source, line } = where
  const item: EventItem = { kind: 'event', event, source, line }
  // Looking costs a pass over the text (about half a JSON.parse): only for those who show it, never on send's way.
  if (!options.unsafeIntegers) return item
  let found = unsafeIntegers(text)
  if (under !== undefined) found = found.flatMap((u) => (u.path[0] === under ? [{ ...u, path: u.path.slice(1) }] : []))
  if (found.length > 0) item.unsafeIntegers = found
  return item
}

/**
 * One piece of JSON text (a line, an element, a document) to an input item. Records from a failed-events file
 * (written by `send --failed`) are unwrapped, so that file can be sent again as it is. A text nested deeper
 * than an event may be is refused before it is parsed, so nothing recursive (mapping-kit, jq, JSON.stringify)
 * ever meets it; a failed-events record may be one level deeper than its event.
 */
export function toItem(text: string, source: string, line: number, options: ReadOptions = {}): InputItem {
  const depth = nestingBeyond(text, MAX_EVENT_NESTING)
  if (depth !== undefined && depth > MAX_EVENT_NESTING + 1) return tooDeep(source, line, text, depth)
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
    if (isObject(value.event)) return eventItem(value.event, text, { source, line }, options, 'event')
    if (typeof value.raw === 'string') return toItem(value.raw, source, line, options)
  }
  if (depth !== undefined) return tooDeep(source, line, text, depth)
  return eventItem(value, text, { source, line }, options)
}
