import { existsSync } from 'fs'
import { join } from 'path'
import { Worker } from 'worker_threads'
import type { ResourceLimits, TransferListItem } from 'worker_threads'

/** Only in the repository (the TypeScript sources are not in the package). */
const TRANSPILE_HOOK = join(__dirname, '..', '..', 'scripts', 'workerTranspile.js')

/**
 * Starts a worker thread from a module next to the caller, wherever the code runs: compiled (`dist/`, an
 * installed package), the `.js` file itself; from the TypeScript sources (ts-jest, ts-node), the `.ts` file
 * with the repository's transpile hook loaded first (scripts/workerTranspile.js: TypeScript's transpileModule,
 * its output cached on disk), so tests exercise the very code they read and need no build, and a worker loads
 * the compiler only for a module changed since the last run (about a second of CPU per worker otherwise).
 */
export function startWorker(
  dir: string,
  name: string,
  options: {
    workerData?: unknown
    resourceLimits?: ResourceLimits
    /** The worker's process.env (Node's default is a copy of the parent's). */
    env?: Record<string, string>
    transferList?: TransferListItem[]
  } = {}
): Worker {
  const compiled = join(dir, `${name}.js`)
  if (existsSync(compiled)) return new Worker(compiled, options)
  const source = join(dir, `${name}.ts`)
  if (!existsSync(source)) throw new Error(`The worker module ${name} is missing from ${dir}.`)
  // Only the hook, not process.execArgv: under ts-node's own command line that holds ts-node's script and
  // options, which Node rejects in a worker ("Unknown file extension").
  return new Worker(source, { ...options, execArgv: ['--require', TRANSPILE_HOOK] })
}
