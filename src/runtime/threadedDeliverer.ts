import type { Worker } from 'worker_threads'
import type { Settings } from '../destinations/movable-ink/generated-types'
import { endWorker, startWorker } from '../io/workerThread'
import type { Deliverer, RunOptions } from './destinationRunner'
import { lostOutcome } from './outcome'
import type { Outcome } from './outcome'
import type { SubscriptionSpec } from './subscriptions'

export interface WorkerData {
  settings: Settings
  subscription: SubscriptionSpec
  options: RunOptions
}

export interface WorkerRequest {
  id: number
  batch: boolean
  events: Record<string, unknown>[]
}

export interface WorkerResponse {
  id: number
  outcomes: Outcome[]
}

/**
 * Heap limits of each worker. A worker's live heap is small (the destination, a few requests in flight), but
 * with V8's defaults each one grew to 60+ MB under load and send went over its 250 MB budget with two of them;
 * these keep a 1,000,000-event send near 200 MB for some 10% of throughput. A worker that still runs out of
 * heap exits, and its requests are reported as failed (never lost).
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 }

interface Pending {
  count: number
  resolve: (outcomes: Outcome[]) => void
}

interface Thread {
  worker: Worker
  pending: Map<number, Pending>
}

function lost(count: number, why: string): Outcome[] {
  const message = `The delivery worker stopped (${why}); the event may or may not have been delivered.`
  return Array.from({ length: count }, () => lostOutcome('WORKER_EXITED', message, 'unknown'))
}

/**
 * Delivers through N worker threads (delivererThread.ts), each with its own DestinationRunner. Every request goes to the thread with the
 * fewest requests in flight; the caller (send's slots) bounds how many there are in all. A request always
 * settles exactly once: with the worker's outcomes, or, if the worker dies, with a non-retryable failure
 * (it may have been delivered already, so it is not sent again).
 */
export class ThreadedDeliverer implements Deliverer {
  private readonly threads: Thread[] = []
  private nextId = 0
  private closing = false

  constructor(count: number, data: WorkerData) {
    for (let i = 0; i < count; i++) {
      const thread: Thread = {
        worker: startWorker(__dirname, 'delivererThread', { workerData: data, resourceLimits: WORKER_HEAP }),
        pending: new Map()
      }
      thread.worker.on('message', (response: WorkerResponse) => {
        const pending = thread.pending.get(response.id)
        if (!pending) return
        thread.pending.delete(response.id)
        pending.resolve(response.outcomes)
      })
      thread.worker.on('error', (error) => this.fail(thread, error.message))
      thread.worker.on('exit', (code) => this.fail(thread, `exit code ${code}`))
      this.threads.push(thread)
    }
  }

  private fail(thread: Thread, why: string): void {
    for (const pending of thread.pending.values()) pending.resolve(lost(pending.count, why))
    thread.pending.clear()
    const index = this.threads.indexOf(thread)
    if (index >= 0 && !this.closing) this.threads.splice(index, 1)
  }

  private request(events: Record<string, unknown>[], batch: boolean): Promise<Outcome[]> {
    let thread = this.threads[0]
    for (const candidate of this.threads) if (candidate.pending.size < thread.pending.size) thread = candidate
    if (!thread) return Promise.resolve(lost(events.length, 'no delivery worker left'))
    const id = this.nextId++
    return new Promise((resolvePromise) => {
      thread.pending.set(id, { count: events.length, resolve: resolvePromise })
      const request: WorkerRequest = { id, batch, events }
      thread.worker.postMessage(request)
    })
  }

  async sendOne(event: Record<string, unknown>): Promise<Outcome> {
    const [outcome] = await this.request([event], false)
    return outcome
  }

  sendMany(events: Record<string, unknown>[]): Promise<Outcome[]> {
    return this.request(events, true)
  }

  async close(): Promise<void> {
    this.closing = true
    await Promise.all(this.threads.map((thread) => endWorker(thread.worker)))
  }
}
