import { dirname, isAbsolute, relative, sep } from 'path'
import { plural } from '../io/plural'

/**
 * "Save all as expected" in one line: how many expected files, in which folder, how many changed, and the
 * pasted events added, so that the page can fold the file-by-file lines away (a suite of 21 sample files
 * otherwise leaves 21 full paths above the event list).
 */

/** The deepest folder holding every path, as the user sees it: relative to the working folder when inside it. */
export function commonFolder(paths: string[], workDir: string): string {
  if (paths.length === 0) return '.'
  let folder = dirname(paths[0])
  while (!paths.every((p) => p === folder || p.startsWith(folder.endsWith(sep) ? folder : folder + sep)))
    folder = dirname(folder)
  const shown = relative(workDir, folder)
  if (shown === '') return `.${sep}`
  return shown.startsWith('..') || isAbsolute(shown) ? `${folder}${sep}` : `${shown}${sep}`
}

export interface SaveCounts {
  /** Every expected file the events saved belong to. */
  expectedFiles: string[]
  /** How many of them were written (new or changed). */
  changed: number
  /** Pasted events added to a suite file, and that file. */
  pasted?: { count: number; target: string }
}

export function saveSummary(counts: SaveCounts, workDir: string): string {
  const { expectedFiles, changed, pasted } = counts
  const files = expectedFiles.length
  const head = `Saved ${plural(files, 'expected file')} in ${commonFolder(expectedFiles, workDir)} (${
    changed === 0 ? 'none changed' : `${changed} changed`
  })`
  const added = pasted
    ? `; added ${plural(pasted.count, 'pasted event')} to ${relative(workDir, pasted.target) || pasted.target}`
    : ''
  return `${head}${added}.`
}
