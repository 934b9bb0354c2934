import { availableParallelism } from 'os'
import type { CheckedInputs } from './inputs'

/**
 * How many delivery threads send starts. Each costs some 0.25 s of CPU to start (it loads the runtime), and
 * below about 20,000 events two of them saved no time (docs/performance.md): so input under this size is
 * delivered in the main thread unless `--workers` is given. Input of a size not known ahead (stdin) or packed
 * (gzip, by name) gets the threads.
 */
const THREADED_FROM_BYTES = 4 * 1024 * 1024

/** The threads a large input gets: two when the machine has two cores, else the main thread. */
export function defaultWorkers(): number {
  return availableParallelism() >= 2 ? 2 : 0
}

/** The threads for these inputs: `workers` when given, else by their size. */
export function workersFor(workers: number | undefined, inputs: CheckedInputs): number {
  if (workers !== undefined) return workers
  const sizeUnknown = inputs.files.some((file) => file === '-' || /\.gz$/i.test(file))
  return sizeUnknown || inputs.totalBytes >= THREADED_FROM_BYTES ? defaultWorkers() : 0
}
