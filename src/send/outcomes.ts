import type { MalformedItem } from '../events/items'
import type { Failure, Outcome } from '../runtime/outcome'
import type { FailedFile } from './failedFile'
import type { FinalOutcome, JournalWriter } from './journal'
import { isUnknownOutcome } from './retryPolicy'
import type { SendObserver } from './sendObserver'
import type { Tally } from './summary'
import type { Position, Unit } from './unit'

/** The errortype of an event refused for its nesting: valid JSON that nothing downstream can process. */
const TOO_DEEP = 'TOO_DEEP'

function reasonKey(failure: Failure): string {
  return failure.status !== undefined ? `HTTP ${failure.status} ${failure.code}` : failure.code
}

/**
 * Where each event's final outcome goes: the counters, the report, the failed-events file, and last the
 * journal. A failure reaches the journal only once the failed-events file holds it, so that a crash in
 * between sends it again rather than losing it.
 */
export class OutcomeRecorder {
  constructor(
    private readonly tally: Tally,
    private readonly report: SendObserver,
    private readonly failedFile: FailedFile,
    private readonly journal?: JournalWriter
  ) {}

  /** What the runtime finally said about an event. */
  settle(unit: Unit, outcome: Outcome): Promise<void> {
    if (outcome.kind === 'failed') return this.failed(unit, outcome)
    if (outcome.kind === 'not subscribed') return this.notSubscribed(unit)
    this.tally.summary.sent++
    this.report.delivered(unit, outcome.status)
    return this.journalize(unit, unit.event.messageId, 'delivered')
  }

  /** Before each retry: counted, and flagged when Movable Ink may already hold the event. */
  retrying(unit: Unit, failure: Failure): void {
    this.tally.summary.retries++
    if (!unit.unknownOutcome && isUnknownOutcome(failure)) {
      unit.unknownOutcome = true
      this.tally.summary.retriedAfterUnknownOutcome++
    }
  }

  notSubscribed(unit: Unit): Promise<void> {
    this.tally.summary.skipped++
    this.report.notSubscribed(unit)
    return this.journalize(unit, unit.event.messageId, 'not subscribed')
  }

  async failed(unit: Unit, failure: Failure): Promise<void> {
    this.tally.summary.failed++
    this.tally.countFailure(reasonKey(failure), failure.message)
    this.report.failed(unit, failure)
    await this.failedFile.write(
      { event: unit.event },
      {
        reason: failure.message,
        status: failure.status,
        errortype: failure.code,
        attempts: unit.attempts,
        source: unit.source,
        line: unit.line,
        failedAt: new Date().toISOString()
      }
    )
    await this.journalize(unit, unit.event.messageId, 'failed')
  }

  /**
   * An event older than the window: counted by its day, not written to the failed-events file (a backfill of
   * an archive holds back whole days of them, and a line each would bury the real failures), and journaled.
   */
  tooOld(unit: Unit, reason: string, day: string): Promise<void> {
    this.tally.countTooOld(day)
    this.report.failed(unit, { message: reason })
    return this.journalize(unit, unit.event.messageId, 'too old')
  }

  /** A piece of input that never reaches the runtime: not an event, or one that cannot be processed (too deep). */
  async malformed(position: Position, item: MalformedItem): Promise<void> {
    this.tally.summary.failed++
    if (!item.refused) this.tally.summary.malformed++
    const what = item.refused ?? 'malformed input'
    this.tally.countFailure(what, item.reason)
    this.report.malformed(item)
    await this.failedFile.write(
      { raw: item.raw },
      {
        reason: `${item.refused ? 'refused' : 'malformed input'}: ${item.reason}`,
        ...(item.refused ? { errortype: TOO_DEEP } : {}),
        source: item.source,
        line: item.line,
        failedAt: new Date().toISOString()
      }
    )
    await this.journalize(position, undefined, 'failed')
  }

  private journalize(position: Position, messageId: unknown, outcome: FinalOutcome): Promise<void> {
    return this.journal ? this.journal.record(position, messageId, outcome) : Promise.resolve()
  }
}
