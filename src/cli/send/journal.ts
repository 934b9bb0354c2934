import {
  closeSync,
  createWriteStream,
  existsSync,
  ftruncateSync,
  fstatSync,
  openSync,
  readSync,
  writeFileSync
} from 'fs'
import type { WriteStream } from 'fs'
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
 * Lines are written as outcomes come in, in groups (what arrives while a write is under way goes in the next
 * one), and `send` keeps an event's slot until its line is written: so at any moment at most `--concurrency`
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

export class JournalWriter {
  private error?: Error

  private constructor(readonly path: string, private readonly stream: WriteStream) {
    stream.on('error', (error) => (this.error = error))
  }

  /** A new journal with its header; refuses to overwrite one, which may be what a resume needs. */
  static create(path: string, header: JournalHeader): JournalWriter {
    if (existsSync(path)) {
      throw new UsageError(
        `The journal ${path} already exists: resume that run with --resume ${path} and the same input files, or give another --journal.`
      )
    }
    writeFileSync(path, JSON.stringify(header) + '\n', { flag: 'wx' })
    return new JournalWriter(path, createWriteStream(path, { flags: 'a', flush: true }))
  }

  /** An existing journal, to go on with: a line cut by a crash is dropped first, then a resume marker. */
  static reopen(path: string, marker: ResumeMarker): JournalWriter {
    const fd = openSync(path, 'r+')
    try {
      ftruncateSync(fd, completeLength(fd))
    } finally {
      closeSync(fd)
    }
    const writer = new JournalWriter(path, createWriteStream(path, { flags: 'a', flush: true }))
    writer.stream.write(JSON.stringify(marker) + '\n')
    return writer
  }

  /** Why the journal cannot be written, once it cannot: the run should stop. */
  get failure(): Error | undefined {
    return this.error
  }

  /** Appends an event's final outcome; settles when the line is in the operating system's hands. */
  record(position: Position, messageId: unknown, outcome: FinalOutcome): Promise<void> {
    return new Promise((resolve, reject) =>
      this.stream.write(outcomeLine(position, messageId, outcome), (error) =>
        error || this.error ? reject(error ?? this.error) : resolve()
      )
    )
  }

  async close(): Promise<void> {
    if (this.error) return
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
    )
  }
}
