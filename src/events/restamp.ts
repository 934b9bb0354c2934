import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'

/** Timestamp fields of a Segment event that say when it happened or was sent. */
export const TIME_FIELDS = ['timestamp', 'originalTimestamp', 'sentAt', 'receivedAt'] as const

/** A copy of the event as if it happened at `at` (an ISO 8601 time): every time field it has is set to it. */
export function restamped(event: Record<string, unknown>, at: string): Record<string, unknown> {
  const copy = { ...event }
  for (const field of TIME_FIELDS) if (field in copy) copy[field] = at
  return copy
}

/**
 * The example events of a folder as one JSON Lines file, re-stamped into the last minutes. The examples carry
 * fixed dates, and Movable Ink does not accept data older than 30 days: the demo should show what happens to
 * events sent today, so each example keeps its order and spacing of one second but ends at `now`.
 */
export function restampedExamples(dir: string, now = Date.now()): string {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
  const lines = files.map((name, i) => {
    const event = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>
    return JSON.stringify(restamped(event, new Date(now - (files.length - 1 - i) * 1000).toISOString()))
  })
  const file = join(mkdtempSync(join(tmpdir(), 'movable-ink-demo-')), 'examples.jsonl')
  writeFileSync(file, lines.join('\n') + '\n')
  return file
}
