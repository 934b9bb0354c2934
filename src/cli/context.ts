import type { Redactor } from '../runtime/redactor'

/**
 * Where a run of the command line reads its settings from and writes to: the process's own (bin), or a test's
 * (which runs commands in its own process, their output captured).
 */
export interface CommandIo {
  out: NodeJS.WritableStream
  /** Progress bars are drawn only when it is a terminal. */
  err: NodeJS.WritableStream & { isTTY?: boolean }
  /** The environment the settings' variables are read from. */
  env: NodeJS.ProcessEnv
}

/** What every command gets from main: its IO, the redactor that main's own error messages use, the exit code. */
export interface CommandContext extends CommandIo {
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
