import { createHash } from 'crypto'
import { closeSync, openSync, readSync, statSync } from 'fs'
import { expandInputs, InputError } from '../events/inputFiles'

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
  /** A suite's expected files in the folders given, left out. */
  skipped: string[]
}

/** Checks the inputs given to `send` (folders as their event files) and describes them. */
export function checkInputs(inputs: string[]): CheckedInputs {
  const skipped: string[] = []
  const files = expandInputs(inputs, skipped)
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
