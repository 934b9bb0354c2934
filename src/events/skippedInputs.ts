import { plural } from '../io/plural'

/** What a folder held that was not read as events, and how the commands say so. */

/** Why a file in a folder was not read. */
export type SkipKind = 'not events' | 'expected file' | 'empty' | 'not a file' | 'outside the window'

export interface Skipped {
  kind: SkipKind
  /** The file, or for `outside the window` the folder. */
  path: string
  /** What it says: the content found, the rule. */
  why: string
  /** Files it holds (1 for a file; a skipped folder's files, counted without being opened). */
  files: number
}

/** A few of the paths, and how many more. */
function some(paths: string[]): string {
  const shown = paths.slice(0, 3).join(', ')
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown
}

/** The suite's expected files left out, as a line of their own: the most common skip, with its reason. */
function expectedFilesLine(paths: string[]): string {
  const n = paths.length
  return `Skipped ${n} expected file${n === 1 ? '' : 's'} in the folders given (${paths[0]}${
    n > 1 ? ', ...' : ''
  }): a suite's *.expected.json files are expected results, not events (movable-ink test reads them).`
}

/** Lines for people: how many files (and day folders) were skipped and why, with a few of their names. */
export function skippedLines(skipped: Skipped[]): string[] {
  const lines: string[] = []
  const expected = skipped.filter((s) => s.kind === 'expected file').map((s) => s.path)
  if (expected.length > 0) lines.push(expectedFilesLine(expected))
  const files = skipped.filter((s) => s.kind !== 'outside the window' && s.kind !== 'expected file')
  if (files.length > 0) {
    const byWhy = new Map<string, string[]>()
    for (const s of files) byWhy.set(s.why, [...(byWhy.get(s.why) ?? []), s.path])
    const parts = [...byWhy].map(([why, paths]) => `${paths.length} ${why} (${some(paths)})`)
    lines.push(`Skipped ${plural(files.length, 'file')} of the folders given, not events: ${parts.join('; ')}.`)
  }
  const folders = skipped.filter((s) => s.kind === 'outside the window')
  if (folders.length > 0) {
    const count = folders.reduce((n, s) => n + s.files, 0)
    lines.push(
      `Skipped ${plural(folders.length, 'day folder')} (${plural(count, 'file')}, not opened): ${
        folders[0].why
      } (${some(folders.map((s) => s.path))}).`
    )
  }
  return lines
}

/** The same, counted, for a JSON summary: files by reason, and the day folders skipped whole. */
export interface SkippedCounts {
  files: Record<string, number>
  dayFolders: number
  filesInDayFolders: number
}

export function skippedCounts(skipped: Skipped[]): SkippedCounts {
  const counts: SkippedCounts = { files: {}, dayFolders: 0, filesInDayFolders: 0 }
  for (const s of skipped) {
    if (s.kind === 'outside the window') {
      counts.dayFolders++
      counts.filesInDayFolders += s.files
    } else counts.files[s.why] = (counts.files[s.why] ?? 0) + 1
  }
  return counts
}
