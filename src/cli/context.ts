import { SHORT_SECRET_NOTICE } from '../runtime/redactor'
import type { Redactor } from '../runtime/redactor'

/** What every command gets from main: where to write, the redactor that main's own error messages use, the exit code. */
export interface CommandContext {
  out: NodeJS.WritableStream
  err: NodeJS.WritableStream
  /** Knows every secret given (flags and environment): commands add theirs once the flags are parsed. */
  redactor: Redactor
  setExitCode(code: number): void
}

/** Writes lines to a stream, through the redactor. */
export function lineWriter(stream: NodeJS.WritableStream, redactor: Redactor): (line: string) => void {
  return (line) => void stream.write(redactor.redact(line) + '\n')
}

const told = new WeakSet<CommandContext>()

/**
 * Gives the redactor the credentials a command was given; when the secret (of the flags or the environment)
 * is short enough to be masked inside ordinary words, says so once, on stderr.
 */
export function addCredentials(context: CommandContext, username?: string, password?: string): void {
  context.redactor.add(username, password)
  if (!context.redactor.hasShortSecret || told.has(context)) return
  told.add(context)
  context.err.write(SHORT_SECRET_NOTICE + '\n')
}
