import { createHash } from 'crypto'
import { closeSync, openSync, readSync, statSync } from 'fs'
import { InputError, listInputs } from '../events/inputFiles'
import type { Skipped } from '../events/skippedInputs'
import { AgeWindow, DEFAULT_MAX_AGE_DAYS } from './ageWindow'

/**
 * What identifies an input for the journal: its size and a hash of its first 64 KiB (cheap for a file of
 * any size). The name is kept for messages only, so that a moved file still resumes. The journal's
 * per-event messageIds catch a change further in.
 */
export interface InputFingerprint {
  name: string
  size?: number
  head?: string
}

const HEAD_BYTES = 64 * 1024

function headHash(file: string): string {
  const buffer = Buffer.alloc(HEAD_BYTES)
  const fd = openSync(file, 'r')
  try {
    const length = readSync(fd, buffer, 0, HEAD_BYTES, 0)
    return createHash('sha256').update(buffer.subarray(0, length)).digest('hex').slice(0, 32)
  } finally {
    closeSync(fd)
  }
}

export interface CheckedInputs {
  /** The files to read, folders expanded. */
  files: string[]
  /** Their total size, for the progress bar. */
  totalBytes: number
  fingerprints: InputFingerprint[]
  /** What the folders held that is not read: other files, and day folders older than the window. */
  skipped: Skipped[]
}

/**
 * Checks the inputs given to `send` (folders as their event files; day folders of Segment's S3 archive older
 * than the age window are skipped without being opened) and describes them.
 */
export function checkInputs(inputs: string[], maxAgeDays = DEFAULT_MAX_AGE_DAYS): CheckedInputs {
  const window = new AgeWindow(maxAgeDays)
  const { files, skipped } = listInputs(inputs, { skipFolder: (name) => window.dayFolderTooOld(name) })
  let totalBytes = 0
  const fingerprints = files.map((file): InputFingerprint => {
    if (file === '-') return { name: '-' }
    try {
      const size = statSync(file).size
      totalBytes += size
      return { name: file, size, head: headHash(file) }
    } catch {
      throw new InputError(`Input file ${file} does not exist or cannot be read.`, file)
    }
  })
  return { files, totalBytes, fingerprints, skipped }
}

/** Why these inputs are not the ones a journal was written for, or undefined when they are. */
export function inputsDiffer(recorded: InputFingerprint[], given: InputFingerprint[]): string | undefined {
  const stdin = given.findIndex((input) => input.name === '-')
  if (stdin !== -1 || recorded.some((input) => input.name === '-')) {
    return 'stdin cannot be checked against a journal: save the input to a file, send that file, and resume with it'
  }
  if (recorded.length !== given.length) {
    return `it was written for ${recorded.length} input file${recorded.length === 1 ? '' : 's'} (${recorded
      .map((input) => input.name)
      .join(', ')}), and ${given.length} are given`
  }
  for (let i = 0; i < given.length; i++) {
    const [was, now] = [recorded[i], given[i]]
    if (was.size !== now.size || was.head !== now.head) {
      return `input ${i + 1} was ${was.name} (${was.size} bytes), and ${now.name} (${now.size} bytes) ${
        was.size === now.size ? 'has other content' : 'differs'
      }`
    }
  }
  return undefined
}
