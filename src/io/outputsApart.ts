import { statSync } from 'fs'
import type { Stats } from 'fs'
import { resolve } from 'path'
import { OutputFileError } from './outputFile'
import { isInside, realFolder, realPlace } from './safeWrite'

/**
 * No command overwrites what it reads: before any work, each file a command will write is compared with its
 * inputs, as the file system sees them (device and inode, so a link, a hard link or another spelling of the
 * path is the same file), and with the input folders it will read (a failed-events file kept in an input
 * folder would be read as events by the next run).
 */

/** A file a command will write, and how its message names it ("The failed-events file (--failed)"). */
export interface NamedOutput {
  path: string
  what: string
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path)
  } catch {
    return undefined
  }
}

/** Throws an OutputFileError (reason 'EINPUT') naming both paths when an output is an input or inside one. */
export function checkOutputsApart(outputs: NamedOutput[], inputs: string[]): void {
  const given = inputs.filter((input) => input !== '-').map((input) => ({ input, stat: statOrUndefined(input) }))
  for (const { path, what } of outputs) {
    const stat = statOrUndefined(path)
    for (const { input, stat: inputStat } of given) {
      if (!inputStat) continue
      if (stat && !inputStat.isDirectory() && stat.dev === inputStat.dev && stat.ino === inputStat.ino)
        throw new OutputFileError(
          `${what} ${path} is the input ${input} (the same file): writing it would destroy what is read. Choose another path.`,
          path,
          'EINPUT'
        )
      if (inputStat.isDirectory() && isInside(realPlace(resolve(path)), realFolder(resolve(input))))
        throw new OutputFileError(
          `${what} ${path} is inside the input folder ${input}, which is read as events: choose a path outside it.`,
          path,
          'EINPUT'
        )
    }
  }
}
