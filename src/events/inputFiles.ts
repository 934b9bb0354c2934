import { readdirSync, realpathSync, statSync } from 'fs'
import type { Stats } from 'fs'
import { join } from 'path'
import { firstCharOfFile, notTextReason } from './inputKind'
import { skippedLines } from './skippedInputs'
import type { SkipKind, Skipped } from './skippedInputs'

/** A mistake in the inputs given (a file that does not exist, stdin twice): the caller's to fix. */
export class InputError extends Error {
  readonly name = 'InputError'
  constructor(message: string, readonly input?: string) {
    super(message)
  }
}

/** A suite's expected file (`<name>.expected.json`, docs/test.md): never an event file, even inside a folder of events. */
export const EXPECTED_SUFFIX = '.expected.json'
export const isExpectedFile = (name: string): boolean => name.toLowerCase().endsWith(EXPECTED_SUFFIX)

/** The inputs as files to read, and what their folders held that is not read. */
export interface InputList {
  files: string[]
  skipped: Skipped[]
}

export interface ListOptions {
  /**
   * Why a folder (by its name) is not to be read at all, or undefined: `send` skips Segment's day folders
   * older than its window without opening a file in them.
   */
  skipFolder?: (name: string) => string | undefined
}

/** Why a path that is not a regular file or folder is not read (a FIFO would block, a device never ends). */
export function notAFileReason(stats: Stats, name: string): string | undefined {
  if (stats.isFile() || stats.isDirectory()) return undefined
  const what = stats.isFIFO()
    ? 'a named pipe (FIFO), which would wait for a writer'
    : stats.isCharacterDevice() || stats.isBlockDevice()
    ? 'a device, not a file of events'
    : 'not a regular file'
  return `${name} is ${what}: give a file or a folder, or pipe the events to stdin (movable-ink ... - < ${name}).`
}

/** Day folders (Unix milliseconds) in number order, everything else by name: a stable order on every machine. */
function byName(a: string, b: string): number {
  const digits = /^\d+$/
  if (digits.test(a) && digits.test(b) && a.length !== b.length) return a.length - b.length
  return a < b ? -1 : a > b ? 1 : 0
}

function statOf(path: string): Stats {
  try {
    return statSync(path)
  } catch {
    throw new InputError(`Input file ${path} does not exist or cannot be read.`, path)
  }
}

/** Files under a folder, counted without being opened (for a skipped day folder). */
function countFiles(folder: string): number {
  return readdirSync(folder, { withFileTypes: true }).reduce(
    (n, entry) => n + (entry.isDirectory() ? countFiles(join(folder, entry.name)) : 1),
    0
  )
}

/** Why a file found in a folder is not an event file, or undefined when it is one (told by its content). */
function skipOfFile(path: string, name: string): Skipped | undefined {
  const skip = (kind: SkipKind, why: string): Skipped => ({ kind, path, why, files: 1 })
  if (isExpectedFile(name)) return skip('expected file', 'an expected file of a test suite')
  const stats = statSync(path)
  if (!stats.isFile()) return skip('not a file', 'not a regular file')
  const { kind, first } = firstCharOfFile(path)
  if (kind.kind === 'empty' || (first === undefined && notTextReason(kind, name) === undefined))
    return skip('empty', 'empty')
  const notText = notTextReason(kind, name)
  if (notText) return skip('not events', kind.kind === 'utf16' ? 'UTF-16 text' : 'not JSON text')
  if (first !== '{' && first !== '[') return skip('not events', 'text that is not JSON events')
  return undefined
}

class FolderWalk {
  readonly list: InputList = { files: [], skipped: [] }
  private readonly seen = new Set<string>()

  constructor(private readonly options: ListOptions) {}

  /** The folder's event files, recursively, day folder by day folder, each in name order. */
  folder(folder: string): void {
    const real = realpathSync(folder)
    if (this.seen.has(real)) return // a link back up the tree
    this.seen.add(real)
    for (const name of readdirSync(folder).sort(byName)) {
      const path = join(folder, name)
      let stats: Stats
      try {
        stats = statSync(path)
      } catch {
        this.list.skipped.push({ kind: 'not a file', path, why: 'a broken link or unreadable', files: 1 })
        continue
      }
      if (stats.isDirectory()) this.subfolder(path, name)
      else this.file(path, name)
    }
  }

  private subfolder(path: string, name: string): void {
    const why = this.options.skipFolder?.(name)
    if (why === undefined) return this.folder(path)
    this.list.skipped.push({ kind: 'outside the window', path, why, files: countFiles(path) })
  }

  private file(path: string, name: string): void {
    const skipped = skipOfFile(path, name)
    if (skipped) this.list.skipped.push(skipped)
    else this.list.files.push(path)
  }
}

/** A file named on its own is read whatever its name, but only if it is JSON text (gzipped or not). */
function checkGivenFile(input: string, stats: Stats): void {
  const notFile = notAFileReason(stats, input)
  if (notFile) throw new InputError(notFile, input)
  const why = notTextReason(firstCharOfFile(input).kind, input)
  if (why) throw new InputError(why, input)
}

/**
 * The inputs as files to read: a file as given, `-` (stdin) as it is, a folder as the event files under it,
 * recursively (Segment's S3 archive: `segment-logs/<source-id>/<received-day>/<file>.gz`), in a stable order.
 * Event files are told by their content (JSON or JSON Lines, gzipped or not), whatever their names; every other
 * file in a folder is skipped and listed. Throws an InputError for no input, a missing one, a file that is not
 * JSON text, or a folder with no event file.
 */
export function listInputs(inputs: string[], options: ListOptions = {}): InputList {
  if (inputs.length === 0) throw new InputError('No input: give one or more files or folders, or - for stdin.')
  if (inputs.filter((input) => input === '-').length > 1) throw new InputError('stdin (-) can only be read once.')
  const walk = new FolderWalk(options)
  for (const input of inputs) {
    if (input === '-') {
      walk.list.files.push(input)
      continue
    }
    const stats = statOf(input)
    if (!stats.isDirectory()) {
      checkGivenFile(input, stats)
      walk.list.files.push(input)
      continue
    }
    const before = walk.list.files.length
    const skippedBefore = walk.list.skipped.length
    walk.folder(input)
    const skipped = walk.list.skipped.slice(skippedBefore)
    if (walk.list.files.length === before && !skipped.some((s) => s.kind === 'outside the window'))
      throw new InputError(
        `The folder ${input} holds no event files (JSON or JSON Lines, gzipped or not)${
          skipped.length ? `: ${skippedLines(skipped).join(' ')}` : ''
        }.`,
        input
      )
  }
  return walk.list
}
