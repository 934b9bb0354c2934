import { mkdirSync, writeFileSync } from 'fs'
import { join } from 'path'
import { gzipSync } from 'zlib'

/**
 * A small `segment-logs/` tree as Segment's AWS S3 destination writes it:
 * `segment-logs/<source-id>/<received-day>/<file>.gz`, the day as Unix milliseconds at 00:00 UTC, gzipped
 * newline-separated JSON, one file per hour. Days 1, 2 and 3 before `now`, and one day 40 days back (outside
 * Movable Ink's 30-day window); the third day's second file is cut short (a copy still under way) and the
 * second day's first file is two gzip members one after the other (as `cat a.gz b.gz` makes). Besides: a
 * manifest that is not events, and a suite's expected file.
 */

export const DAY_MS = 24 * 60 * 60 * 1000
export const SOURCE_ID = 'AbC123source'
export const EVENTS_PER_FILE = 5

export interface SegmentLogs {
  /** segment-logs/<source-id>/ */
  source: string
  /** Day folder names, newest last, the old one first. */
  days: string[]
  /** Events of the files inside the window that read whole (the truncated file not counted). */
  readable: number
  /** Of the old day, never read with the window on. */
  oldEvents: number
  truncatedFile: string
  multiMemberFile: string
}

function event(time: number, n: number, day: string): Record<string, unknown> {
  return {
    type: n % 2 === 0 ? 'track' : 'identify',
    ...(n % 2 === 0 ? { event: 'Product Viewed', properties: { product_id: `p-${n}` } } : { traits: { plan: 'pro' } }),
    messageId: `msg-${day}-${n}`,
    userId: `user-${n}`,
    timestamp: new Date(time).toISOString(),
    receivedAt: new Date(time + 1000).toISOString()
  }
}

function linesOf(dayStart: number, hour: number, day: string, count = EVENTS_PER_FILE): string {
  return Array.from({ length: count }, (_, i) => {
    const n = hour * 10_000 + i
    return JSON.stringify(event(dayStart + hour * 3_600_000 + i * 1000, n, day))
  })
    .map((line) => line + '\n')
    .join('')
}

export function writeSegmentLogs(root: string, now = Date.now()): SegmentLogs {
  const source = join(root, 'segment-logs', SOURCE_ID)
  const today = Math.floor(now / DAY_MS) * DAY_MS
  const starts = [today - 40 * DAY_MS, today - 3 * DAY_MS, today - 2 * DAY_MS, today - DAY_MS]
  const days = starts.map(String)
  let truncatedFile = ''
  let multiMemberFile = ''
  let readable = 0
  for (const [d, start] of starts.entries()) {
    const folder = join(source, days[d])
    mkdirSync(folder, { recursive: true })
    for (const hour of [3, 14]) {
      const file = join(folder, `${days[d]}-hour${String(hour).padStart(2, '0')}-part.gz`)
      const text = linesOf(start, hour, days[d])
      if (d === 2 && hour === 3) {
        // Two members: the file's first three events, then the rest.
        const cut = text.split('\n').slice(0, 3).join('\n').length + 1
        writeFileSync(file, Buffer.concat([gzipSync(text.slice(0, cut)), gzipSync(text.slice(cut))]))
        multiMemberFile = file
      } else if (d === 1 && hour === 14) {
        // Cut short: what is left holds the first events whole, the rest is gone.
        const whole = gzipSync(linesOf(start, hour, days[d], 1000), { level: 1 })
        writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)))
        truncatedFile = file
      } else writeFileSync(file, gzipSync(text))
      if (d > 0 && !(d === 1 && hour === 14)) readable += EVENTS_PER_FILE
    }
  }
  writeFileSync(join(source, 'manifest.txt'), 'copied by the AWS S3 destination\n')
  writeFileSync(join(source, days[3], 'sample.expected.json'), '{"cases": []}\n')
  return { source, days, readable, oldEvents: 2 * EVENTS_PER_FILE, truncatedFile, multiMemberFile }
}
