import { loadJq } from './jqWeb'
import type { LoadedJq } from './jqWeb'
import { checkOf, streamAnswerOf } from './answers'
import type { JqAnswer, JqCheck } from './answers'
import { JqJobQueue } from './jobQueue'
import type { JobOutcome, JqNotStarted, JqRunOptions } from './jobQueue'
import { compileDeadlineMs, programStartMs, resolveJqLimits } from './limits'
import type { JqLimits, ResolvedJqLimits } from './limits'
import { knownToCompile } from './knownChecks'
import { checkProgram, streamProgram } from './sandbox'
import { WorkerPool } from './workerHandle'

/**
 * The one place that runs jq (jq-web 0.6.2: jq 1.7 in WebAssembly), always off the main thread. Each program
 * gets a worker whose single jq main() compiled it once and reads one event per line for as long as the program
 * is in use (the most recent few are kept); compile checks share one more worker. A runaway is stopped at its
 * deadline or memory cap and is only its own event's (or expression's) problem: see jobQueue.ts.
 */

/** Programs kept compiled: the studio's current one, its conversion candidates, and the ones before an edit. */
const KEPT_PROGRAMS = 4

interface Engine {
  pool: WorkerPool
  /**
   * Per memory cap, per program text, oldest first. The text itself is the key, never a longer string built from
   * it on each call: V8 hashes a string once, and a program is some 10 KB that each stand-in request looks up.
   */
  streams: Map<number, Map<string, JqJobQueue>>
  checkers: Map<number, JqJobQueue>
}

let engine: Engine | undefined

function current(): Engine {
  engine ??= { pool: new WorkerPool(), streams: new Map(), checkers: new Map() }
  return engine
}

function allStreams(): JqJobQueue[] {
  return [...(engine?.streams.values() ?? [])].flatMap((streams) => [...streams.values()])
}

/** The newest kept last; the oldest idle ones beyond KEPT_PROGRAMS are closed (never one with pending work). */
function keep(streams: Map<string, JqJobQueue>, program: string, queue: JqJobQueue): void {
  const programs = [...streams.keys()]
  if (programs[programs.length - 1] === program) return
  streams.delete(program)
  streams.set(program, queue)
  for (const [oldProgram, old] of streams) {
    if (allStreams().length <= KEPT_PROGRAMS) break
    if (old.pending > 0 || oldProgram === program) continue
    old.close()
    streams.delete(oldProgram)
  }
}

function streamFor(jq: LoadedJq, program: string, limits: ResolvedJqLimits, marks = false): JqJobQueue {
  const { pool, streams } = current()
  let capped = streams.get(limits.memoryCapMb)
  if (!capped) streams.set(limits.memoryCapMb, (capped = new Map<string, JqJobQueue>()))
  const queue =
    (!marks && capped.get(program)) ||
    new JqJobQueue(
      { role: 'stream', program: streamProgram(program), marks },
      () => pool.take(jq, limits.memoryCapMb),
      programStartMs(limits)
    )
  if (!marks) keep(capped, program, queue)
  return queue
}

/** jq-web, or why it did not load (then every job is answered as not started, as the engine never throws). */
async function loaded(): Promise<LoadedJq | JqNotStarted> {
  try {
    return await loadJq()
  } catch (error) {
    return { reason: 'crash', detail: `jq-web did not load: ${String(error)}`, stderr: '' }
  }
}

function submitted(
  queue: (jq: LoadedJq) => JqJobQueue,
  jq: LoadedJq | JqNotStarted,
  jobs: string[],
  deadlineMs: number,
  run?: JqRunOptions
) {
  if ('reason' in jq) return Promise.resolve(jobs.map((): JobOutcome => ({ notStarted: jq })))
  return queue(jq).submit(jobs, deadlineMs, run)
}

/** A JSON text on one line: raw newlines in JSON are whitespace between tokens (inside strings they are escaped). */
function oneLine(text: string): string {
  return text.includes('\n') ? text.replace(/\n/g, ' ') : text
}

/**
 * Runs `program` over each JSON text: one answer per text, in order, its outputs or why there are none. The
 * texts are one batch (see jobQueue.ts): `run` can halt it after some runaways, or cancel it.
 */
export async function runJqProgram(
  program: string,
  texts: string[],
  given?: JqLimits,
  run?: JqRunOptions
): Promise<JqAnswer[]> {
  const limits = resolveJqLimits(given)
  if (texts.length === 0) return []
  const queue = (jq: LoadedJq) => streamFor(jq, program, limits)
  const outcomes = await submitted(queue, await loaded(), texts.map(oneLine), limits.deadlineMs, run)
  return outcomes.map((outcome) => streamAnswerOf(outcome, limits.memoryCapMb, limits.deadlineMs))
}

/** Starts compiling `program` in its worker now, so that its first events need not wait for it. */
export function prepareJqProgram(program: string, given?: JqLimits): void {
  const limits = resolveJqLimits(given)
  void loaded().then((jq) => 'reason' in jq || streamFor(jq, program, limits).warm())
}

/**
 * Runs `program` over one text in a worker of its own, with marks on (see sandbox.ts's __mi_mark): when jq has
 * to be stopped, the answer's stop has the last mark the program wrote. Nothing is kept afterwards.
 */
export async function probeJqProgram(
  program: string,
  text: string,
  given?: JqLimits,
  run?: JqRunOptions
): Promise<JqAnswer> {
  const limits = resolveJqLimits(given)
  let probe: JqJobQueue | undefined
  const queue = (jq: LoadedJq) => (probe = streamFor(jq, program, limits, true))
  try {
    const [outcome] = await submitted(queue, await loaded(), [oneLine(text)], limits.deadlineMs, run)
    return streamAnswerOf(outcome, limits.memoryCapMb, limits.deadlineMs)
  } finally {
    probe?.close()
  }
}

function checkerFor(jq: LoadedJq, limits: ResolvedJqLimits): JqJobQueue {
  const { pool, checkers } = current()
  let checker = checkers.get(limits.memoryCapMb)
  if (!checker) {
    checker = new JqJobQueue({ role: 'check' }, () => pool.take(jq, limits.memoryCapMb), compileDeadlineMs(limits))
    checkers.set(limits.memoryCapMb, checker)
  }
  return checker
}

/**
 * Whether jq compiles `expression` (without running it), within the memory cap and the deadline (at least
 * MIN_COMPILE_DEADLINE_MS: a low deadline for events must not make compiling load-sensitive). A check whose
 * verdict is known ahead (knownChecks.ts: the shipped event mappings') is not run, unless `known` is false.
 */
export async function checkJqExpression(expression: string, given?: JqLimits, { known = true } = {}): Promise<JqCheck> {
  const limits = resolveJqLimits(given)
  const program = checkProgram(expression)
  if (known && knownToCompile(program, limits)) return { kind: 'compiles' }
  const queue = (jq: LoadedJq) => checkerFor(jq, limits)
  const [outcome] = await submitted(queue, await loaded(), [program], compileDeadlineMs(limits))
  return checkOf(outcome)
}

/**
 * Whether the engine keeps a worker started ahead, so that a restart after a runaway or a new program after an
 * edit waits for nothing. Servers turn it on (the studio, `receive`'s stand-in); off by default, as a command
 * that runs once can wait 50 ms for a start after a runaway, and a spare costs it a thread it mostly never takes.
 */
export function keepSpareJqWorker(keep: boolean): void {
  const pool = current().pool
  pool.keepSpare = keep
  if (!keep) pool.close()
}

/** Ends every worker (work still waiting is answered as not started); the next call starts afresh. */
export function closeJqEngine(): void {
  if (!engine) return
  for (const queue of [...allStreams(), ...engine.checkers.values()]) queue.close()
  engine.pool.close()
  engine = undefined
}
