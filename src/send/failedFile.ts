import { FAILURE_KEY } from '../events/items'
import { LineAppender } from '../io/lineAppender'
import { writeFailure } from '../io/outputFile'
import type { Redactor } from '../runtime/redactor'

/**
 * The failed-events file: JSON Lines, opened on the first failure, each line replayable with `send`. A write
 * settles once its line is in the operating system's hands, so that the journal, written after it, never
 * records a failure that this file does not hold. A resumed run appends, to keep the failures of before.
 * `count` is the lines written.
 */
export class FailedFile {
  private appender?: LineAppender
  count = 0

  constructor(readonly path: string, private readonly redactor: Redactor, private readonly append = false) {}

  /** Settles once the line is written; rejects with an OutputFileError when it cannot be. */
  async write(record: Record<string, unknown>, failure: Record<string, unknown>): Promise<void> {
    const reasonText = this.redactor.redact(String(failure.reason ?? ''))
    const line = JSON.stringify({ [FAILURE_KEY]: { ...failure, reason: reasonText }, ...record }) + '\n'
    try {
      this.appender ??= LineAppender.open(this.path, { flags: this.append ? 'a' : 'w' })
      await this.appender.append(line)
    } catch (error) {
      throw writeFailure(this.path, 'the failed-events file', error)
    }
    this.count++
  }

  async close(): Promise<void> {
    if (this.appender && !this.appender.failure) await this.appender.close()
  }
}
