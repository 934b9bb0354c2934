import { existsSync } from 'fs'
import { join } from 'path'
import { Worker } from 'worker_threads'
import type { ResourceLimits, TransferListItem } from 'worker_threads'

/**
 * Starts a worker thread from a module next to the caller, wherever the code runs: compiled (`dist/`, an
 * installed package), the `.js` file itself; from the TypeScript sources (ts-jest, ts-node), the `.ts` file
 * with ts-node's transpiler loaded first, so tests exercise the very code they read and need no build.
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
  // Only ts-node's register, not process.execArgv: under ts-node's own command line that holds ts-node's script
  // and options, which Node rejects in a worker ("Unknown file extension").
  return new Worker(source, { ...options, execArgv: ['--require', 'ts-node/register/transpile-only'] })
}
