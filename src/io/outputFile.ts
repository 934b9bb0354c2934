import { accessSync, constants, readlinkSync, statSync } from 'fs'
import type { Stats } from 'fs'
import { dirname, resolve } from 'path'
import { isFileLink } from './safeWrite'

/**
 * Files a command will write (a failed-events file, a journal, a summary, a record), checked before the work
 * starts, so that a run never does its work and then finds it cannot keep the result.
 */

/** A file that cannot be written: which one (`path`) and why (`reason`, a system code such as ENOENT). */
export class OutputFileError extends Error {
  readonly name = 'OutputFileError'
  constructor(message: string, readonly path: string, readonly reason: string) {
    super(message)
  }
}

interface Problem {
  reason: string
  why: string
}

function statOf(path: string): { stat?: Stats; code?: string } {
  try {
    return { stat: statSync(path) }
  } catch (error) {
    return { code: (error as NodeJS.ErrnoException).code ?? 'EIO' }
  }
}

function writable(path: string, mode: number): string | undefined {
  try {
    accessSync(path, mode)
    return undefined
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'EACCES'
  }
}

function denied(code: string, what: string): Problem {
  return code === 'EROFS'
    ? { reason: code, why: `${what} is on a read-only file system (EROFS)` }
    : { reason: code, why: `${what} may not be written by this user (${code})` }
}

/** The folder a new file goes in: it must exist (or, with `createFolder`, its nearest existing ancestor). */
function folderProblem(path: string, createFolder: boolean): Problem | undefined {
  let folder = dirname(resolve(path))
  for (;;) {
    const { stat, code } = statOf(folder)
    if (stat && !stat.isDirectory()) return { reason: 'ENOTDIR', why: `${folder} is a file, not a folder` }
    if (stat) break
    const parent = dirname(folder)
    if (code === 'ENOTDIR' || (code === 'ENOENT' && createFolder && parent !== folder)) {
      folder = parent
      continue
    }
    return { reason: code ?? 'ENOENT', why: `its folder ${folder} does not exist` }
  }
  const code = writable(folder, constants.W_OK | constants.X_OK)
  return code ? denied(code, `its folder ${folder}`) : undefined
}

/** Why `path` cannot be created or written, or undefined when it can. */
export function outputProblem(path: string, options: { createFolder?: boolean } = {}): Problem | undefined {
  if (isFileLink(path))
    return {
      reason: 'ELINK',
      why: `it is a symbolic link (to ${readlinkSync(path)}), and no command writes through a link`
    }
  const { stat, code } = statOf(path)
  if (stat?.isDirectory()) return { reason: 'EISDIR', why: 'it is a folder, not a file' }
  if (stat) {
    const denial = writable(path, constants.W_OK)
    return denial ? denied(denial, 'the file') : undefined
  }
  if (code !== 'ENOENT' && code !== 'ENOTDIR') return { reason: code ?? 'EIO', why: `it cannot be looked at (${code})` }
  return folderProblem(path, options.createFolder ?? false)
}

/**
 * Throws an OutputFileError when `path` cannot be written: "<what> <path> cannot be written: <why>. <fix>"
 * `what` names the file and the flag that sets it ("The failed-events file (--failed)").
 */
export function checkOutputFile(path: string, what: string, options: { createFolder?: boolean } = {}): void {
  const problem = outputProblem(path, options)
  if (!problem) return
  throw new OutputFileError(
    `${what} ${path} cannot be written: ${problem.why}. Choose a path that can be written.`,
    path,
    problem.reason
  )
}

/** The same error for a write that failed once the work was under way (a full disk, a removed folder). */
export function writeFailure(path: string, what: string, error: unknown): OutputFileError {
  if (error instanceof OutputFileError) return error
  const err = error as NodeJS.ErrnoException
  const message = `${what} ${path} could not be written (${err?.message ?? String(error)})`
  return new OutputFileError(message, path, err?.code ?? 'EIO')
}
