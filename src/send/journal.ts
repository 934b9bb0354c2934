import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readSync } from 'fs'
import { LineAppender } from '../io/lineAppender'
import { writeFailure } from '../io/outputFile'
import type { InputFingerprint } from './inputs'
import type { Position } from './unit'

/**
 * The delivery journal: JSON Lines, append-only. The first line is a header naming the inputs (see
 * inputs.ts); then one line per event whose outcome is final:
 *   {"input":0,"item":41,"line":42,"messageId":"ajs-…","outcome":"delivered"}
 * `input` and `item` are the key (the n-th item of the n-th input; `line` is for people: array elements can
 * share a line). A resumed run appends a `{"resumedAt": …}` line and its own outcomes.
 *
 * Lines are written as outcomes come in, in groups (io/lineAppender.ts), and `send` keeps an event's slot
 * until its line is written: so at any moment at most `--concurrency` events (or batches) are sent but not
 * journaled, and a killed run loses at most those.
 */

export const JOURNAL_FORMAT = 'movable-ink send journal'
export const JOURNAL_VERSION = 1

export type FinalOutcome = 'delivered' | 'failed' | 'not subscribed' | 'too old'
export const FINAL_OUTCOMES: FinalOutcome[] = ['delivered', 'failed', 'not subscribed', 'too old']

export interface JournalHeader {
  journal: typeof JOURNAL_FORMAT
  version: typeof JOURNAL_VERSION
  createdAt: string
  inputs: InputFingerprint[]
  /** Where this run writes its failed events: a resumed run tells where the earlier failures are. */
  failedFile: string
}

export interface ResumeMarker {
  resumedAt: string
  failedFile: string
}

/** A journal that cannot be created, read or resumed with the inputs given; `journal` is its path. */
export class JournalError extends Error {
  readonly name = 'JournalError'
  constructor(message: string, readonly journal: string) {
    super(message)
  }
}

export function outcomeLine(position: Position, messageId: unknown, outcome: FinalOutcome): string {
  const id = typeof messageId === 'string' ? `,"messageId":${JSON.stringify(messageId)}` : ''
  return `{"input":${position.input},"item":${position.item},"line":${position.line}${id},"outcome":"${outcome}"}\n`
}

/** The length of a file up to its last newline: what is left of it once a line cut by a crash is dropped. */
function completeLength(fd: number): number {
  const block = Buffer.alloc(64 * 1024)
  let end = fstatSync(fd).size
  while (end > 0) {
    const start = Math.max(0, end - block.length)
    const length = readSync(fd, block, 0, end - start, start)
    const newline = block.subarray(0, length).lastIndexOf(10)
    if (newline !== -1) return start + newline + 1
    end = start
  }
  return 0
}

export class JournalWriter {
  private constructor(private readonly appender: LineAppender) {}

  get path(): string {
    return this.appender.path
  }

  /** A new journal with its header; refuses to overwrite one, which may be what a resume needs. */
  static create(path: string, header: JournalHeader): JournalWriter {
    if (existsSync(path)) {
      throw new JournalError(
        `The journal ${path} already exists: resume that run with --resume ${path} and the same input files, or give another --journal.`,
        path
      )
    }
    try {
      const appender = LineAppender.open(path, { flags: 'wx' })
      appender.writeNow(JSON.stringify(header) + '\n')
      return new JournalWriter(appender)
    } catch (error) {
      throw new JournalError(`Cannot create the journal ${path}: ${(error as Error).message}`, path)
    }
  }

  /** An existing journal, to go on with: a line cut by a crash is dropped first, then a resume marker. */
  static reopen(path: string, marker: ResumeMarker): JournalWriter {
    const fd = openSync(path, 'r+')
    try {
      ftruncateSync(fd, completeLength(fd))
    } finally {
      closeSync(fd)
    }
    const appender = LineAppender.open(path)
    appender.writeNow(JSON.stringify(marker) + '\n')
    return new JournalWriter(appender)
  }

  /** Why the journal cannot be written, once it cannot: the run should stop. */
  get failure(): Error | undefined {
    const error = this.appender.failure
    return error && writeFailure(this.path, 'the journal', error)
  }

  /** Appends an event's final outcome; settles when the line is in the operating system's hands. */
  async record(position: Position, messageId: unknown, outcome: FinalOutcome): Promise<void> {
    try {
      await this.appender.append(outcomeLine(position, messageId, outcome))
    } catch (error) {
      throw writeFailure(this.path, 'the journal', error)
    }
  }

  /** Writes what is pending and makes the whole journal durable (fsync). */
  close(): Promise<void> {
    return this.appender.close()
  }
}
