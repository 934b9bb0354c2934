import type { EventItem } from './items'
import type { UnsafeInteger } from './largeIntegers'

/**
 * An event as one line of JSON Lines, for a sample file that keeps what was pasted. JSON.stringify would write
 * an integer beyond 2^53 as JSON read it (12345678901234567890 as 12345678901234567000); the digits it was
 * written with are known by their path (largeIntegers.ts), and go back where they were.
 */

function lineOf(value: unknown, path: (string | number)[], written: Map<string, string>): string {
  const digits = written.get(JSON.stringify(path))
  if (digits !== undefined && typeof value === 'number') return digits
  if (Array.isArray(value)) return `[${value.map((v, i) => lineOf(v, [...path, i], written)).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${lineOf(v, [...path, k], written)}`)
    return `{${parts.join(',')}}`
  }
  return JSON.stringify(value)
}

/** The event as one line of JSON (no newline), with the digits of its integers beyond 2^53 as written. */
export function eventLine(item: Pick<EventItem, 'event' | 'unsafeIntegers'>): string {
  const unsafe: UnsafeInteger[] = item.unsafeIntegers ?? []
  if (unsafe.length === 0) return JSON.stringify(item.event)
  const written = new Map(unsafe.map((u) => [JSON.stringify(u.path), u.written]))
  return lineOf(item.event, [], written)
}
