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

/**
 * The inputs as files to read: a file as given, `-` (stdin) as it is, a folder as its event files in name
 * order (`examples/events`). Throws an InputError for none at all, or one that does not exist.
 */
export function expandInputs(inputs: string[]): string[] {
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
    const files = readdirSync(input).filter((name) => EVENT_FILES.includes(extname(name).toLowerCase()))
    if (files.length === 0) throw new InputError(`The folder ${input} holds no ${EVENT_FILES.join(', ')} files.`, input)
    return files.sort().map((name) => join(input, name))
  })
}
