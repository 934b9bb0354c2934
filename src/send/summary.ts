import type { SkippedCounts } from '../events/skippedInputs'
import { plural } from '../io/plural'

export interface SendSummary {
  read: number
  sent: number
  failed: number
  malformed: number
  /** Not subscribed: the subscription does not match them, so they are not sent. */
  skipped: number
  /**
   * Held back by the age window: not sent, not in the failed-events file (not counted in `failed`), journaled;
   * counted by the UTC day of their timestamp in `tooOldByDay`.
   */
  tooOld: number
  tooOldByDay: Record<string, number>
  /** Skipped on `--resume` because the journal holds their final outcome. */
  alreadyDone: number
  retries: number
  /** Events retried after an attempt whose outcome is unknown (timeout, dropped connection): maybe stored twice. */
  retriedAfterUnknownOutcome: number
  failedByReason: Record<string, number>
  durationMs: number
  eventsPerSecond: number
  peakRssBytes: number
  failedFile?: string
  journalFile?: string
  resumedFrom?: string
  receivedFile?: string
  interrupted: boolean
  /** What the input folders held that was not read (other files, day folders older than the window). */
  skippedInputs?: SkippedCounts
}

const MAX_REASONS = 50

/** The counters of a run, and one example message per failure reason. */
export class Tally {
  readonly summary: SendSummary = {
    read: 0,
    sent: 0,
    failed: 0,
    malformed: 0,
    skipped: 0,
    tooOld: 0,
    tooOldByDay: {},
    alreadyDone: 0,
    retries: 0,
    retriedAfterUnknownOutcome: 0,
    failedByReason: {},
    durationMs: 0,
    eventsPerSecond: 0,
    peakRssBytes: 0,
    interrupted: false
  }
  readonly examples: Record<string, string> = {}

  countFailure(key: string, message: string): void {
    const byReason = this.summary.failedByReason
    const bucket = key in byReason || Object.keys(byReason).length < MAX_REASONS ? key : 'other'
    byReason[bucket] = (byReason[bucket] ?? 0) + 1
    if (!(bucket in this.examples)) this.examples[bucket] = message
  }

  countTooOld(day: string): void {
    this.summary.tooOld++
    this.summary.tooOldByDay[day] = (this.summary.tooOldByDay[day] ?? 0) + 1
  }

  /** The figures known only at the end. */
  finish(durationMs: number): SendSummary {
    const summary = this.summary
    summary.durationMs = Math.round(durationMs)
    summary.eventsPerSecond = Math.round((summary.sent / Math.max(summary.durationMs, 1)) * 1000 * 10) / 10
    summary.peakRssBytes = process.resourceUsage().maxRSS * 1024
    return summary
  }
}

const MAX_DAYS_SHOWN = 10

/** The events held back as too old, by day: the first days in full, then how many more. */
function tooOldLines(byDay: Record<string, number>): string[] {
  const days = Object.keys(byDay).sort()
  const shown = days.slice(0, MAX_DAYS_SHOWN).map((day) => `${day}: ${byDay[day]}`)
  const more = days.length > MAX_DAYS_SHOWN ? `, and ${days.length - MAX_DAYS_SHOWN} more days` : ''
  return [
    `Held back as older than the window, by the day of their timestamp (not sent, not in the failed-events file): ${shown.join(
      ', '
    )}${more}. To deliver them anyway, send those days again with --max-age-days 0.`
  ]
}

/** The closing lines of a run, for people. */
export function summaryLines(summary: SendSummary, examples: Record<string, string>): string[] {
  const lines: string[] = []
  const print = (line: string) => lines.push(line)
  const seconds = summary.durationMs / 1000
  const toDo = summary.read - summary.alreadyDone
  print('')
  print(
    `Sent ${summary.sent} of ${plural(toDo, 'event')} in ${seconds.toFixed(2)} s (${
      summary.eventsPerSecond
    } events/s); ` +
      `${summary.failed} failed${summary.tooOld ? `, ${summary.tooOld} too old` : ''}, ${
        summary.skipped
      } not subscribed, ${plural(summary.retries, 'retry', 'retries')}.`
  )
  if (summary.resumedFrom) {
    print(
      `Skipped ${plural(summary.alreadyDone, 'event')} already done according to the journal ${summary.resumedFrom}.`
    )
  }
  if (summary.retriedAfterUnknownOutcome > 0) {
    print(
      `${plural(
        summary.retriedAfterUnknownOutcome,
        'event was',
        'events were'
      )} retried after an attempt with no answer (timeout or dropped connection): Movable Ink may have stored them twice.`
    )
  }
  if (summary.tooOld > 0) tooOldLines(summary.tooOldByDay).forEach(print)
  for (const [reason, count] of Object.entries(summary.failedByReason)) {
    print(`  ${count} × ${reason}: ${examples[reason] ?? ''}`)
  }
  if (summary.failedFile)
    print(`Failed events (replay with: movable-ink send ${summary.failedFile}): ${summary.failedFile}`)
  if (summary.journalFile) print(`Journal: ${summary.journalFile}`)
  return lines
}
