import { existsSync } from 'fs'
import { join } from 'path'
import { Worker } from 'worker_threads'
import type { ResourceLimits, TransferListItem } from 'worker_threads'

/** Only in the repository (the TypeScript sources are not in the package). */
const TRANSPILE_HOOK = join(__dirname, '..', '..', 'scripts', 'workerTranspile.js')

/** This thread's workers being terminated, until each thread is gone. */
const ending = new Set<Promise<void>>()

/**
 * Terminates a worker, and keeps the end in view until its thread is gone: see afterWorkerEnds.
 */
export function endWorker(worker: Worker): Promise<void> {
  const ended = worker.terminate().then(
    () => undefined,
    () => undefined
  )
  ending.add(ended)
  void ended.then(() => ending.delete(ended))
  return ended
}

/**
 * Resolves once no worker this thread terminated is still tearing down. Starting a worker (a new V8 isolate)
 * while another one's isolate is being disposed can crash the whole process with a segmentation fault
 * (nodejs/node#56312, open: the new isolate's start trips over the heap of the one being torn down), and the jq
 * engine does exactly that when it replaces a worker stopped at a deadline. Its workers wait for this first.
 */
export async function afterWorkerEnds(): Promise<void> {
  while (ending.size > 0) await Promise.all([...ending])
}

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
