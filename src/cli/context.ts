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

/** Gives the redactor the credentials a command was given (of the flags or the environment). */
export function addCredentials(context: CommandContext, username?: string, password?: string): void {
  context.redactor.add(username, password)
}
