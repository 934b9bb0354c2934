import { EXIT_INTERRUPTED } from './exitCodes'

/** The signals that ask a command to stop: Ctrl-C, `kill`/`docker stop`/systemd/`timeout`, a closed terminal. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/**
 * Calls `stop` on the first stop signal, for a clean stop; a second signal ends the process at once. Returns
 * the function that removes the handlers.
 */
export function onStopSignal(stop: (signal: NodeJS.Signals) => void): () => void {
  let stopping = false
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(EXIT_INTERRUPTED)
    stopping = true
    stop(signal)
  }
  STOP_SIGNALS.forEach((signal) => process.on(signal, handler))
  return () => STOP_SIGNALS.forEach((signal) => process.off(signal, handler))
}

/** Resolves on the first stop signal (a server's life); a second one ends the process at once. */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => onStopSignal(resolve))
}
