import { createReadStream, existsSync } from 'fs'
import { isObject } from '@segment/actions-core'
import { linesOf } from '../events/readEvents'
import { FINAL_OUTCOMES, JOURNAL_FORMAT, JOURNAL_VERSION, JournalError } from './journal'
import type { FinalOutcome, JournalHeader } from './journal'

/** A 32-bit FNV-1a hash of a messageId: enough to notice that another event sits at a journaled place. */
function idHash(messageId: unknown): number {
  const text = typeof messageId === 'string' ? messageId : ''
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return hash >>> 0
}

interface InputDone {
  done: Uint8Array
  ids: Uint32Array
}

/**
 * The places (input, item) whose outcome is final, with a hash of each one's messageId: a few bytes per event
 * (a 1,000,000-event journal takes about 5 MB), where a set of keys would take a hundred.
 */
export class DoneSet {
  private readonly inputs: InputDone[] = []
  size = 0

  mark(input: number, item: number, messageId: unknown): void {
    const entry = this.grow(input, item)
    if (!entry.done[item]) this.size++
    entry.done[item] = 1
    entry.ids[item] = idHash(messageId)
  }

  /** 'new' to send, 'done' to skip, 'changed' when another event sits where the journal recorded one. */
  check(input: number, item: number, messageId: unknown): 'new' | 'done' | 'changed' {
    const entry = this.inputs[input]
    if (!entry || item >= entry.done.length || !entry.done[item]) return 'new'
    return entry.ids[item] === idHash(messageId) ? 'done' : 'changed'
  }

  private grow(input: number, item: number): InputDone {
    let entry = this.inputs[input]
    if (!entry) entry = this.inputs[input] = { done: new Uint8Array(1024), ids: new Uint32Array(1024) }
    if (item >= entry.done.length) {
      let length = entry.done.length
      while (item >= length) length *= 2
      const done = new Uint8Array(length)
      const ids = new Uint32Array(length)
      done.set(entry.done)
      ids.set(entry.ids)
      entry = this.inputs[input] = { done, ids }
    }
    return entry
  }
}

export interface JournalState {
  path: string
  header: JournalHeader
  done: DoneSet
  byOutcome: Record<FinalOutcome, number>
  /** The failed-events files of the runs so far. */
  failedFiles: string[]
}

function isHeader(value: unknown): value is JournalHeader {
  return isObject(value) && value.journal === JOURNAL_FORMAT && Array.isArray(value.inputs)
}

function isCount(value: unknown, below = Number.MAX_SAFE_INTEGER): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < below
}

/**
 * Reads a journal for `--resume`. A last line that is not JSON is where a crash cut the file: it is ignored.
 * Anything else that does not read is an error that says where.
 */
export async function readJournal(path: string): Promise<JournalState> {
  if (!existsSync(path)) throw new JournalError(`The journal ${path} does not exist.`, path)
  const refuse = (why: string) => new JournalError(`${path} cannot be resumed: ${why}`, path)
  let header: JournalHeader | undefined
  const done = new DoneSet()
  const byOutcome = Object.fromEntries(FINAL_OUTCOMES.map((o) => [o, 0])) as Record<FinalOutcome, number>
  const failedFiles: string[] = []
  let cut: number | undefined
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1024 * 1024 })
  for await (const { text, line } of linesOf(stream as AsyncIterable<string>)) {
    if (cut !== undefined) throw refuse(`line ${cut} is not JSON (only the last line may be cut short).`)
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      cut = line
      continue
    }
    if (!header) {
      if (!isHeader(value)) throw refuse('it is not a movable-ink send journal (no journal header on line 1).')
      if (value.version !== JOURNAL_VERSION) throw refuse(`journal version ${value.version} is not known here.`)
      header = value
      failedFiles.push(value.failedFile)
      continue
    }
    if (!isObject(value)) throw refuse(`line ${line} is not a journal entry.`)
    if (typeof value.resumedAt === 'string') {
      if (typeof value.failedFile === 'string') failedFiles.push(value.failedFile)
      continue
    }
    const outcome = value.outcome as FinalOutcome
    if (!isCount(value.input, header.inputs.length) || !isCount(value.item) || !FINAL_OUTCOMES.includes(outcome)) {
      throw refuse(`line ${line} is not a journal entry.`)
    }
    done.mark(value.input, value.item, value.messageId)
    byOutcome[outcome]++
  }
  if (!header) throw refuse('it is empty (the run stopped before writing anything): start again without --resume.')
  return { path, header, done, byOutcome, failedFiles }
}
