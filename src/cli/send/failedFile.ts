import { createWriteStream } from 'fs'
import type { WriteStream } from 'fs'
import { FAILURE_KEY } from '../readEvents'
import type { Redactor } from '../settings'

/** `20261122T080022`: the time part of the names of the files a run writes by default. */
export function fileStamp(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')
}

/**
 * The failed-events file: JSON Lines, opened on the first failure, each line replayable with `send`. A write
 * settles once its line is in the operating system's hands, so that the journal, written after it, never
 * records a failure that this file does not hold. A resumed run appends, to keep the failures of before.
 */
export class FailedFile {
  private stream?: WriteStream
  private error?: Error
  count = 0

  constructor(readonly path: string, private readonly redactor: Redactor, private readonly append = false) {}

  write(record: Record<string, unknown>, failure: Record<string, unknown>): Promise<void> {
    const stream = this.open()
    const reasonText = this.redactor.redact(String(failure.reason ?? ''))
    const line = JSON.stringify({ [FAILURE_KEY]: { ...failure, reason: reasonText }, ...record }) + '\n'
    this.count++
    return new Promise((resolve, reject) =>
      stream.write(line, (error) => (error || this.error ? reject(error ?? this.error) : resolve()))
    )
  }

  private open(): WriteStream {
    if (!this.stream) {
      this.stream = createWriteStream(this.path, { flags: this.append ? 'a' : 'w' })
      this.stream.on('error', (error) => (this.error = error))
    }
    return this.stream
  }

  async close(): Promise<void> {
    const stream = this.stream
    if (!stream || this.error) return
    await new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
    )
  }
}
