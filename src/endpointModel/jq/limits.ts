/**
 * How long and how big jq may get on one piece of work before the engine stops it. A runaway expression (a
 * recursive def, `repeat`, a huge `range`, a constant that explodes while compiling) is then that event's or that
 * expression's problem, never the process's.
 */

/**
 * Per event (and per compile check). On the project's 2-core machine, busy with other jobs (load average 7),
 * the default endpoint file's slowest example event (Order Completed) took 0.4 ms in jq, an order of 1,000
 * products (140 KB) 41 ms, and a compile check 3 ms (bench/src/jqEngineCost.ts and the engine's tests): 1 s is
 * 25 times the largest real event, so a loaded machine does not trip it, yet a runaway costs its event one
 * second (and one more to find which expression it was), never the process.
 */
export const DEFAULT_JQ_DEADLINE_MS = 1000

/**
 * jq's WebAssembly memory per worker: it starts at 16.5 MB, which the 1,000-product order does not even grow, so
 * 256 MB is over ten times what any real event needs, yet stops `[range(1e8)]`, `repeat(.)` (40-80 MB/s) or
 * `"x" * 900000000` (at once) long before the machine suffers. Emscripten grows memory by up to a fifth ahead
 * of a request, so a worker holds at most about 1.2 times this. The worker's JavaScript heap gets the same cap.
 */
export const DEFAULT_JQ_MEMORY_CAP_MB = 256

/**
 * One event's answer may be this share of the memory cap (16 MB of 256): the 1,000-product order's is 105 KB,
 * and a field path that prints gigabytes must not carry them into the main thread.
 */
export const ANSWER_CAP_SHARE = 1 / 16

/**
 * A program's start may take this many deadlines (10 s by default): it compiles every expression of the endpoint
 * together (about 50 ms for the default file's 68), each of which was checked alone within one deadline before,
 * so only a very large endpoint file comes near it. Its events' own deadlines start when it is ready.
 */
export const PROGRAM_START_DEADLINES = 10

/**
 * Compiling is not an event: a compile check takes at least this long (the default deadline) before it is
 * stopped, and a program's start at least this long too, however low the deadline for events. A check takes 3 ms
 * on a quiet machine and misses a 3 ms deadline at load 25; a program's start takes about 50 ms, which 10 such
 * deadlines would not allow, and a program that does not start fails every event.
 */
export const MIN_COMPILE_DEADLINE_MS = DEFAULT_JQ_DEADLINE_MS

/** jq starts with 16.5 MB; a cap below this would stop it before any work. */
export const MIN_JQ_MEMORY_CAP_MB = 32

export interface JqLimits {
  /** How long jq may take on one event (or on compiling one expression: at least MIN_COMPILE_DEADLINE_MS) (ms). */
  deadlineMs?: number
  /** How much memory jq may use (MB, at least MIN_JQ_MEMORY_CAP_MB) before it is stopped. */
  memoryCapMb?: number
}

export type ResolvedJqLimits = Required<JqLimits>

function atLeast(value: number | undefined, fallback: number, least: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value < least)
    throw new RangeError(`${name} must be a number of at least ${least}, not ${value}`)
  return value
}

export function resolveJqLimits(limits: JqLimits = {}): ResolvedJqLimits {
  return {
    deadlineMs: atLeast(limits.deadlineMs, DEFAULT_JQ_DEADLINE_MS, 1, 'deadlineMs'),
    memoryCapMb: atLeast(limits.memoryCapMb, DEFAULT_JQ_MEMORY_CAP_MB, MIN_JQ_MEMORY_CAP_MB, 'memoryCapMb')
  }
}

/** A compile check's deadline under these limits. */
export function compileDeadlineMs(limits: ResolvedJqLimits): number {
  return Math.max(limits.deadlineMs, MIN_COMPILE_DEADLINE_MS)
}

/** A program's start deadline under these limits. */
export function programStartMs(limits: ResolvedJqLimits): number {
  return Math.max(PROGRAM_START_DEADLINES * limits.deadlineMs, MIN_COMPILE_DEADLINE_MS)
}
