import { EXIT_OUTPUT_CLOSED } from './exitCodes'

/**
 * `movable-ink preview ... | head -1`: once the reader of the output goes away, writing on is pointless and
 * Node would throw EPIPE as an unhandled 'error' with a stack trace. The command ends at once and quietly, with
 * the status a Unix tool stopped by SIGPIPE has (141). `send`'s journal holds every outcome it recorded, so a
 * send stopped this way resumes like one stopped by a crash.
 */
export function endQuietlyOnBrokenPipe(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams)
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(EXIT_OUTPUT_CLOSED)
      throw error
    })
}
