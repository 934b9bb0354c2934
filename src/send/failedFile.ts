import { FAILURE_KEY } from '../events/items'
import { LineAppender } from '../io/lineAppender'
import type { Redactor } from '../runtime/redactor'

/**
 * The failed-events file: JSON Lines, opened on the first failure, each line replayable with `send`. A write
 * settles once its line is in the operating system's hands, so that the journal, written after it, never
 * records a failure that this file does not hold. A resumed run appends, to keep the failures of before.
 */
export class FailedFile {
  private appender?: LineAppender
  count = 0

  constructor(readonly path: string, private readonly redactor: Redactor, private readonly append = false) {}

  write(record: Record<string, unknown>, failure: Record<string, unknown>): Promise<void> {
    const reasonText = this.redactor.redact(String(failure.reason ?? ''))
    const line = JSON.stringify({ [FAILURE_KEY]: { ...failure, reason: reasonText }, ...record }) + '\n'
    this.count++
    try {
      this.appender ??= LineAppender.open(this.path, { flags: this.append ? 'a' : 'w' })
    } catch (error) {
      return Promise.reject(error)
    }
    return this.appender.append(line)
  }

  async close(): Promise<void> {
    if (this.appender && !this.appender.failure) await this.appender.close()
  }
}
