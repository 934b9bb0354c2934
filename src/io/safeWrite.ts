import { createHash, randomBytes } from 'crypto'
import {
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from 'fs'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'path'

/**
 * The one way a command replaces a whole file (an expected file, the endpoint file, a report, a summary): never
 * through a symbolic link (a suite's link could point anywhere, and its target is not the user's to rewrite),
 * only inside the folder the caller names when it names one, and through a temporary file renamed into place,
 * so a crash or a full disk leaves the old file whole. Callers that must not undo someone else's change pass
 * the version they read (`fileVersion`), and the write is refused when the file is no longer that.
 */

/** Why a write was refused: `reason` is 'ELINK' (a link), 'EOUTSIDE' (outside its folder), 'ECHANGED' or a system code. */
export class SafeWriteError extends Error {
  readonly name = 'SafeWriteError'
  constructor(message: string, readonly path: string, readonly reason: string) {
    super(message)
  }
}

export interface SafeWriteOptions {
  /** The folder the file must be in (after following the links of the folders on the way). */
  within?: string
  /** The `fileVersion` the caller read: the write is refused (ECHANGED) when the file now differs. */
  expectedVersion?: string | null
  /** Creates the folders on the way. */
  makeFolder?: boolean
}

/** The version of a file as it is now: a hash of its bytes, or null when there is no file. */
export function fileVersion(path: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 32)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/** Whether `path` is `folder` or inside it. */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** The real path of `path`'s nearest existing folder, with the rest of the path after it. */
export function realPlace(path: string): string {
  const rest: string[] = []
  let folder = dirname(path)
  for (;;) {
    try {
      return join(realpathSync(folder), ...rest.reverse(), basename(path))
    } catch {
      if (dirname(folder) === folder) return path
      rest.push(basename(folder))
      folder = dirname(folder)
    }
  }
}

export function realFolder(folder: string): string {
  try {
    return realpathSync(folder)
  } catch {
    return folder
  }
}

/** Whether `path` exists and is neither a regular file nor a folder (a device, a FIFO), links followed. */
export function isDevice(path: string): boolean {
  try {
    const stat = statSync(path)
    return !stat.isFile() && !stat.isDirectory()
  } catch {
    return false
  }
}

/**
 * Whether `path` is a symbolic link to a file or a folder, or a dangling one: what a write would follow
 * somewhere it was not asked to write. A link to a device (/dev/stdout) is how such a place is named.
 */
export function isFileLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink() && !isDevice(path)
  } catch {
    return false
  }
}

/** Why `path` may not be written by writeFileSafely, or undefined when it may. */
export function safeWriteProblem(path: string, options: SafeWriteOptions = {}): SafeWriteError | undefined {
  const target = resolve(path)
  try {
    if (isFileLink(target))
      return new SafeWriteError(
        `${target} is a symbolic link (to ${readlinkSync(
          target
        )}): it is not written through. Replace the link with a file.`,
        target,
        'ELINK'
      )
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  if (options.within !== undefined) {
    if (!isInside(realPlace(target), realFolder(resolve(options.within))))
      return new SafeWriteError(
        `${target} is outside ${resolve(
          options.within
        )} (through its folders' links too): only files in that folder are written.`,
        target,
        'EOUTSIDE'
      )
  }
  if (options.expectedVersion !== undefined && fileVersion(target) !== options.expectedVersion)
    return new SafeWriteError(
      `${target} changed since it was read (edited elsewhere, or saved from another page).`,
      target,
      'ECHANGED'
    )
  return undefined
}

/** Replaces (or creates) `path` with `data` as described above; throws a SafeWriteError when refused. */
export function writeFileSafely(path: string, data: string | Buffer, options: SafeWriteOptions = {}): void {
  const problem = safeWriteProblem(path, options)
  if (problem) throw problem
  const target = resolve(path)
  if (isDevice(target)) return writeFileSync(target, data) // /dev/stdout, a FIFO: written to, never replaced
  if (options.makeFolder) mkdirSync(dirname(target), { recursive: true })
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    writeFileSync(temporary, data, { flag: 'wx', mode: modeOf(target) })
    renameSync(temporary, target)
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
}

/** The permissions of the file being replaced, kept by its replacement. */
function modeOf(path: string): number {
  try {
    return lstatSync(path).mode & 0o777
  } catch {
    return 0o666
  }
}
