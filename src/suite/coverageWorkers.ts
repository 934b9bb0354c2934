import type { Worker } from 'worker_threads'
import { endWorker, startWorker } from '../io/workerThread'
import { CoverageSession } from './coverageSession'
import type { CoverageSetup, Piece } from './coverageSession'
import type { TallyData } from './coverageTally'

/**
 * Where a coverage run's batches of lines are evaluated: N worker threads (each its own previewer, runtime and
 * jq), or this thread. The reader waits while every worker already has MAX_IN_FLIGHT batches, which is what
 * bounds memory however large the input.
 */

export type ToWorker = { kind: 'pieces'; id: number; file: number; pieces: Piece[] } | { kind: 'finish' }
export type FromWorker =
  | { kind: 'done'; id: number }
  | { kind: 'tally'; tally: TallyData }
  | { kind: 'error'; message: string }

export interface Evaluator {
  /** Resolves once the batch is taken (not evaluated): the reader's back-pressure. */
  submit(file: number, pieces: Piece[]): Promise<void>
  /** Waits for every batch, and returns each thread's tally. */
  finish(): Promise<TallyData[]>
  close(): Promise<void>
}

/** Batches queued per worker: one being evaluated, one waiting, so a worker never idles for the reader. */
const MAX_IN_FLIGHT = 2

/**
 * Heap limits of each worker: its live heap is a batch of events, the runtime and its tally (tens of MB).
 * Without a limit V8 lets each worker grow well past what it needs: with 16 MB young and 256 MB old, two workers
 * took a 200,000-event run to 301 MB, with these to 273 MB, at the same events/s.
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 }

class InThread implements Evaluator {
  private constructor(private readonly session: CoverageSession, private readonly onDone: (n: number) => void) {}

  static async start(setup: CoverageSetup, onDone: (n: number) => void): Promise<InThread> {
    return new InThread(await CoverageSession.open(setup), onDone)
  }

  async submit(file: number, pieces: Piece[]): Promise<void> {
    await this.session.add(file, pieces)
    this.onDone(pieces.length)
  }

  async finish(): Promise<TallyData[]> {
    return [await this.session.result()]
  }

  close(): Promise<void> {
    return this.session.close()
  }
}

interface Thread {
  worker: Worker
  inFlight: Map<number, number>
  tally?: (tally: TallyData) => void
}

class WorkerPool implements Evaluator {
  private readonly threads: Thread[] = []
  private nextId = 0
  private failure?: Error
  private wake?: () => void
  private closing = false
  /** Those waiting for a tally, told if a worker fails first. */
  private readonly onFailure = new Set<(error: Error) => void>()

  constructor(count: number, setup: CoverageSetup, private readonly onDone: (n: number) => void) {
    for (let i = 0; i < count; i++) {
      const worker = startWorker(__dirname, 'coverageWorker', { workerData: setup, resourceLimits: WORKER_HEAP })
      const thread: Thread = { worker, inFlight: new Map() }
      worker.on('message', (message: FromWorker) => this.receive(thread, message))
      worker.on('error', (error) => this.fail(new Error(`A coverage worker failed: ${error.message}`)))
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`A coverage worker stopped (exit code ${code}).`))
      })
      this.threads.push(thread)
    }
  }

  private receive(thread: Thread, message: FromWorker): void {
    if (message.kind === 'error') return this.fail(new Error(message.message))
    if (message.kind === 'tally') return thread.tally?.(message.tally)
    const count = thread.inFlight.get(message.id) ?? 0
    thread.inFlight.delete(message.id)
    this.onDone(count)
    this.wake?.()
  }

  private fail(error: Error): void {
    this.failure ??= error
    this.wake?.()
    for (const reject of this.onFailure) reject(this.failure)
  }

  private idle(): Thread | undefined {
    let best: Thread | undefined
    for (const t of this.threads)
      if (t.inFlight.size < MAX_IN_FLIGHT && (!best || t.inFlight.size < best.inFlight.size)) best = t
    return best
  }

  private async waitFor<T>(ready: () => T | undefined): Promise<T> {
    for (;;) {
      if (this.failure) throw this.failure
      const value = ready()
      if (value !== undefined) return value
      await new Promise<void>((resolve) => (this.wake = resolve))
    }
  }

  async submit(file: number, pieces: Piece[]): Promise<void> {
    const thread = await this.waitFor(() => this.idle())
    const id = this.nextId++
    thread.inFlight.set(id, pieces.length)
    const message: ToWorker = { kind: 'pieces', id, file, pieces }
    thread.worker.postMessage(message)
  }

  async finish(): Promise<TallyData[]> {
    await this.waitFor(() => (this.threads.every((t) => t.inFlight.size === 0) ? true : undefined))
    const tallyOf = (thread: Thread) =>
      new Promise<TallyData>((resolve, reject) => {
        if (this.failure) return reject(this.failure)
        this.onFailure.add(reject)
        thread.tally = (tally) => {
          this.onFailure.delete(reject)
          resolve(tally)
        }
        const message: ToWorker = { kind: 'finish' }
        thread.worker.postMessage(message)
      })
    return Promise.all(this.threads.map(tallyOf))
  }

  async close(): Promise<void> {
    this.closing = true
    await Promise.all(this.threads.map((t) => endWorker(t.worker)))
  }
}

/** Evaluates in `workers` threads, or in this one for 0. */
export async function startEvaluator(
  workers: number,
  setup: CoverageSetup,
  onDone: (n: number) => void
): Promise<Evaluator> {
  return workers > 0 ? new WorkerPool(workers, setup, onDone) : InThread.start(setup, onDone)
}
