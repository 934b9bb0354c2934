import { closeSync, existsSync, fsyncSync, ftruncateSync, fstatSync, openSync, readSync, writeSync } from 'fs'
import { UsageError } from '../settings'
import type { InputFingerprint } from './inputs'
import type { Position } from './unit'

/**
 * The delivery journal: JSON Lines, append-only. The first line is a header naming the inputs (see
 * inputs.ts); then one line per event whose outcome is final:
 *   {"input":0,"item":41,"line":42,"messageId":"ajs-…","outcome":"delivered"}
 * `input` and `item` are the key (the n-th item of the n-th input; `line` is for people: array elements can
 * share a line). A resumed run appends a `{"resumedAt": …}` line and its own outcomes.
 *
 * Lines are written as outcomes come in, in groups (what arrives in one turn of the event loop), and `send`
 * keeps an event's slot until its line is written: so at any moment at most `--concurrency`
 * events (or batches) are sent but not journaled, and a killed run loses at most those.
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

/**
 * Appends lines in groups: the lines that come in during one turn of the event loop are written together by
 * one `write` (synchronous: to the page cache it takes microseconds, where a write through libuv's thread pool
 * costs some 30 µs of CPU per group, measured), then their promises settle.
 */
export class JournalWriter {
  private lines: string[] = []
  private waiting: { resolve: () => void; reject: (error: Error) => void }[] = []
  private scheduled = false
  private error?: Error

  private constructor(readonly path: string, private readonly fd: number) {}

  /** A new journal with its header; refuses to overwrite one, which may be what a resume needs. */
  static create(path: string, header: JournalHeader): JournalWriter {
    if (existsSync(path)) {
      throw new UsageError(
        `The journal ${path} already exists: resume that run with --resume ${path} and the same input files, or give another --journal.`
      )
    }
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, JSON.stringify(header) + '\n')
      return new JournalWriter(path, fd)
    } catch (error) {
      throw new UsageError(`Cannot create the journal ${path}: ${(error as Error).message}`)
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
    const writer = new JournalWriter(path, openSync(path, 'a'))
    writeSync(writer.fd, JSON.stringify(marker) + '\n')
    return writer
  }

  /** Why the journal cannot be written, once it cannot: the run should stop. */
  get failure(): Error | undefined {
    return this.error
  }

  /** Appends an event's final outcome; settles when the line is in the operating system's hands. */
  record(position: Position, messageId: unknown, outcome: FinalOutcome): Promise<void> {
    if (this.error) return Promise.reject(this.error)
    this.lines.push(outcomeLine(position, messageId, outcome))
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject })
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  private flush(): void {
    this.scheduled = false
    const [text, waiting] = [this.lines.join(''), this.waiting]
    this.lines = []
    this.waiting = []
    try {
      if (!this.error) writeSync(this.fd, text)
    } catch (error) {
      this.error = error as Error
    }
    for (const waiter of waiting) this.error ? waiter.reject(this.error) : waiter.resolve()
  }

  /** Writes what is pending and makes the whole journal durable (fsync). */
  async close(): Promise<void> {
    if (this.lines.length > 0) this.flush()
    try {
      if (!this.error) fsyncSync(this.fd)
    } finally {
      closeSync(this.fd)
    }
  }
}
