/**
 * How long and how big jq may get on one piece of work before the engine stops it. A runaway expression (a
 * recursive def, `repeat`, a huge `range`, a constant that explodes while compiling) is then that event's or that
 * expression's problem, never the process's.
 */

/**
 * Per event (and per compile check): the default endpoint file's slowest example event takes about 0.3 ms in jq,
 * an event with 1,000 products about 25 ms, and one compile check about 3 ms (see bench/src/jqEngineCost.ts), so
 * 1 s is generous even on a loaded machine, yet a runaway costs its event no more than a second (and a second
 * for finding which expression it was).
 */
export const DEFAULT_JQ_DEADLINE_MS = 1000

/**
 * jq's WebAssembly memory per worker: it starts at 17 MB, and the 1,000-product event takes it to about 20 MB,
 * so 256 MB is over ten times what a real event needs, yet stops `repeat(.)` (40-80 MB/s) or `"x" * 900000000`
 * long before the machine suffers. Emscripten grows memory by up to a fifth ahead of a request, so a worker
 * holds at most about 1.2 times this. The worker's JavaScript heap gets the same cap.
 */
export const DEFAULT_JQ_MEMORY_CAP_MB = 256

/**
 * One event's answer may be this share of the memory cap (16 MB of 256): the 1,000-product event's is 300 KB, and
 * a field path that prints gigabytes must not carry them into the main thread.
 */
export const ANSWER_CAP_SHARE = 1 / 16

/**
 * A program's start compiles every expression of the endpoint together (about 50 ms for the default file's 68);
 * each was checked alone within the deadline before, so only a very large endpoint file gets near this, and its
 * events wait rather than fail.
 */
export const PROGRAM_START_DEADLINES = 10

export interface JqLimits {
  /** How long jq may take on one event, or on compiling one expression, before it is stopped (ms). */
  deadlineMs?: number
  /** How much memory jq may use (MB) before it is stopped. */
  memoryCapMb?: number
}

export type ResolvedJqLimits = Required<JqLimits>

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, not ${value}`)
  return value
}

export function resolveJqLimits(limits: JqLimits = {}): ResolvedJqLimits {
  return {
    deadlineMs: positive(limits.deadlineMs, DEFAULT_JQ_DEADLINE_MS, 'deadlineMs'),
    memoryCapMb: positive(limits.memoryCapMb, DEFAULT_JQ_MEMORY_CAP_MB, 'memoryCapMb')
  }
}
