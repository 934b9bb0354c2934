import { DAY_MS, daysOld, isBeyondRetention, RETENTION_DAYS } from '../destinations/movable-ink/limits'

/**
 * Movable Ink's 30-day window. mParticle's Movable Ink integration: "Movable Ink will not accept data older
 * than 30 days"; Segment's Movable Ink docs: event data is retained for personalisation for 30 days. So by
 * default `send` does not deliver an event whose `timestamp` is older; `--max-age-days` changes the window,
 * 0 turns it off. An event without a readable timestamp is left to the destination, which refuses it.
 */
export const DEFAULT_MAX_AGE_DAYS = RETENTION_DAYS

export class AgeWindow {
  /** `now` is fixed for the run, so that the same event gets the same answer from start to end. */
  constructor(readonly maxAgeDays: number, readonly now = Date.now()) {}

  private rule(): string {
    return this.maxAgeDays === RETENTION_DAYS
      ? `Movable Ink does not accept data older than ${RETENTION_DAYS} days`
      : `the window is ${this.maxAgeDays} days (--max-age-days)`
  }

  /**
   * Why a folder of Segment's S3 archive (`segment-logs/<source-id>/<received-day>/`, the day Segment received
   * its events as Unix milliseconds at 00:00 UTC) is not read at all, or undefined. Only a day that ended
   * before the window began: an event is received after its timestamp, so every event in it is too old.
   */
  dayFolderTooOld(name: string): string | undefined {
    if (this.maxAgeDays <= 0 || !/^\d{12,14}$/.test(name)) return undefined
    const dayEnd = Number(name) + DAY_MS
    if (!isBeyondRetention(dayEnd, this.now, this.maxAgeDays)) return undefined
    return `Segment received their events more than ${
      this.maxAgeDays
    } days ago (the folder name is the day, in Unix milliseconds), and ${this.rule()}; --max-age-days 0 reads them`
  }

  /** The UTC day (YYYY-MM-DD) of an event's timestamp, for the summary's count of events too old by day. */
  static dayOf(event: Record<string, unknown>): string {
    const time = typeof event.timestamp === 'string' ? Date.parse(event.timestamp) : NaN
    return Number.isNaN(time) ? 'unknown' : new Date(time).toISOString().slice(0, 10)
  }

  /** Why the event is too old to send, or undefined. */
  tooOld(event: Record<string, unknown>): string | undefined {
    if (this.maxAgeDays <= 0 || typeof event.timestamp !== 'string') return undefined
    const time = Date.parse(event.timestamp)
    if (Number.isNaN(time) || !isBeyondRetention(time, this.now, this.maxAgeDays)) return undefined
    const days = daysOld(time, this.now)
    return `"timestamp" ${
      event.timestamp
    } is ${days} days old, and ${this.rule()}: not sent. To send it anyway, replay this file with --max-age-days 0.`
  }
}
