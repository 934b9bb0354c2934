import { readdirSync, statSync } from 'fs'
import { extname, join } from 'path'

/** A mistake in the inputs given (a file that does not exist, stdin twice): the caller's to fix. */
export class InputError extends Error {
  readonly name = 'InputError'
  constructor(message: string, readonly input?: string) {
    super(message)
  }
}

const EVENT_FILES = ['.json', '.jsonl', '.ndjson']

/** A suite's expected results (`movable-ink test`'s `<sample>.expected.json`): beside events, never events. */
export const isExpectedFile = (name: string): boolean => name.toLowerCase().endsWith('.expected.json')

/** What a command says about the expected files it left out of the folders given, or undefined for none. */
export function skippedLine(skipped: string[]): string | undefined {
  if (skipped.length === 0) return undefined
  const n = skipped.length
  return `Skipped ${n} expected file${n === 1 ? '' : 's'} in the folders given (${skipped[0]}${
    n > 1 ? ', ...' : ''
  }): a suite's *.expected.json files are expected results, not events (movable-ink test reads them).`
}

/**
 * The inputs as files to read: a file as given, `-` (stdin) as it is, a folder as its event files in name
 * order (`examples/events`), without a suite's expected files, which go into `skipped` to be reported.
 * Throws an InputError for none at all, or one that does not exist.
 */
export function expandInputs(inputs: string[], skipped: string[] = []): string[] {
  if (inputs.length === 0) throw new InputError('No input: give one or more files or folders, or - for stdin.')
  if (inputs.filter((input) => input === '-').length > 1) throw new InputError('stdin (-) can only be read once.')
  return inputs.flatMap((input) => {
    if (input === '-') return [input]
    let isFolder: boolean
    try {
      isFolder = statSync(input).isDirectory()
    } catch {
      throw new InputError(`Input file ${input} does not exist or cannot be read.`, input)
    }
    if (!isFolder) return [input]
    const named = readdirSync(input).filter((name) => EVENT_FILES.includes(extname(name).toLowerCase()))
    const files = named.filter((name) => !isExpectedFile(name))
    skipped.push(
      ...named
        .filter(isExpectedFile)
        .sort()
        .map((name) => join(input, name))
    )
    if (files.length === 0)
      throw new InputError(
        `The folder ${input} holds no ${EVENT_FILES.join(', ')} files${named.length ? ' but expected files' : ''}.`,
        input
      )
    return files.sort().map((name) => join(input, name))
  })
}
