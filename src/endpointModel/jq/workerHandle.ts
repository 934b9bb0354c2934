import { join } from 'path'
import { MessageChannel, receiveMessageOnPort } from 'worker_threads'
import type { MessagePort, Worker } from 'worker_threads'
import { afterWorkerEnds, endWorker, startWorker } from '../../io/workerThread'
import type { LoadedJq } from './jqWeb'
import { MARK_SLOT, SIGNAL_BYTES, SIGNAL_SLOT, signalOf, STARTED_SLOT } from './protocol'
import type { JqRole, JqSignal, JqWorkerData, JqWorkerMessage } from './protocol'

/** A jq worker's young generation: it allocates little JavaScript (a line in, a line out), and V8's default per thread is several times this. */
const JQ_YOUNG_GENERATION_MB = 4

/**
 * The main thread's workers: a handle on each (JqWorker), and the pool that keeps one started ahead.
 *
 * A handle on one jq worker (thread/worker.ts) posts the role and the jobs (bumping the shared
 * counter the worker sleeps on), hands the worker's messages to whoever took it, can take pending messages
 * synchronously, and reads the worker's progress (which job, since when) from the shared buffer.
 *
 * The worker starts with an empty environment and a JavaScript heap capped like its WebAssembly memory; it is
 * unref()ed whenever no job is pending, so an idle engine never keeps a process alive.
 */

export interface JqWorkerListener {
  message(message: JqWorkerMessage): void
  /** The thread ended or failed (e.g. its JavaScript heap ran out), `error` saying how when it did. */
  gone(error?: Error): void
}

export class JqWorker {
  private listener: JqWorkerListener | undefined
  private readonly port: MessagePort
  private readonly buffer = new SharedArrayBuffer(SIGNAL_BYTES)
  private readonly signal: JqSignal = signalOf(this.buffer)
  /** Undefined until the thread starts: after every worker being terminated has gone (afterWorkerEnds). */
  private worker: Worker | undefined
  private held = false
  private terminated = false
  private ended: Error | true | undefined

  constructor(jq: LoadedJq, readonly memoryCapMb: number) {
    const { port1, port2 } = new MessageChannel()
    this.port = port1
    Atomics.store(this.signal.slots, MARK_SLOT, -1)
    const workerData: JqWorkerData = {
      port: port2,
      signal: this.buffer,
      file: jq.file,
      source: jq.source,
      wasm: jq.wasm,
      memoryCapBytes: memoryCapMb * 1024 * 1024
    }
    this.port.on('message', (message: JqWorkerMessage) => this.listener?.message(message))
    this.hold(false)
    // What is posted meanwhile waits in the channel, as it would while the thread loads jq.
    void afterWorkerEnds().then(() => this.start(workerData, port2))
  }

  private start(workerData: JqWorkerData, port: MessagePort): void {
    if (this.terminated) return void port.close()
    try {
      this.worker = startWorker(join(__dirname, 'thread'), 'worker', {
        workerData,
        transferList: [port],
        env: {},
        // jq's own work is in its WebAssembly memory; the JavaScript side holds a line or two at a time.
        resourceLimits: { maxOldGenerationSizeMb: this.memoryCapMb, maxYoungGenerationSizeMb: JQ_YOUNG_GENERATION_MB }
      })
    } catch (error) {
      return this.end(error instanceof Error ? error : new Error(String(error)))
    }
    this.worker.on('error', (error) => this.end(error))
    this.worker.on('exit', () => this.end(true))
    this.hold(this.held)
  }

  /** Whether the thread is still there (a spare may have failed to start). */
  get alive(): boolean {
    return this.ended === undefined
  }

  /** Messages and the end go to `listener` from now on (a spare worker has none yet). */
  listen(listener: JqWorkerListener | undefined): void {
    this.listener = listener
    if (listener && this.ended) listener.gone(this.ended === true ? undefined : this.ended)
  }

  assign(role: JqRole): void {
    this.post(role)
  }

  send(jobs: string[]): void {
    this.post({ jobs })
  }

  /** Hands every message the worker has already posted to the listener, now. */
  drain(): void {
    for (let received = receiveMessageOnPort(this.port); received; received = receiveMessageOnPort(this.port))
      this.listener?.message(received.message as JqWorkerMessage)
  }

  /** The last mark of an instrumented program (see sandbox.ts), if it wrote one. */
  lastMark(): number | undefined {
    const mark = Atomics.load(this.signal.slots, MARK_SLOT)
    return mark < 0 ? undefined : mark
  }

  /** How many jobs the worker has handed to jq, and when the last (or jq's compiling) began, in epoch ms. */
  progress(): { started: number; startedAt: number } {
    const started = Atomics.load(this.signal.slots, STARTED_SLOT)
    // Read after the count: a later job's time, if the worker moved on meanwhile, only makes a verdict kinder.
    return { started, startedAt: this.signal.startedAt[0] }
  }

  /** Keeps the process alive while `pending` (someone awaits an answer), and lets it exit otherwise. */
  hold(pending: boolean): void {
    this.held = pending
    if (pending) {
      this.worker?.ref()
      this.port.ref()
    } else {
      this.worker?.unref()
      this.port.unref()
    }
  }

  terminate(): void {
    this.listener = undefined
    this.terminated = true
    this.port.close()
    if (this.worker) void endWorker(this.worker)
  }

  private post(message: unknown): void {
    this.port.postMessage(message)
    Atomics.add(this.signal.slots, SIGNAL_SLOT, 1)
    Atomics.notify(this.signal.slots, SIGNAL_SLOT)
  }

  private end(how: Error | true): void {
    if (this.ended) return
    // What the worker posted before it ended (its 'stopped', say) counts first.
    this.drain()
    this.ended = how
    this.listener?.gone(how === true ? undefined : how)
  }
}

/**
 * Workers for the engine's queues, with one started ahead in a server (keepSpare): a worker takes some 50 ms to
 * start (a thread, jq.js, a WebAssembly instance), which a new program after an edit in the studio, or a restart
 * after a runaway in the stand-in, should not wait for. Taking the spare starts the next one.
 */
export class WorkerPool {
  private spare: JqWorker | undefined
  /**
   * Off unless a server turns it on: a command that runs once (preview, test, send) never took its spare, which
   * cost it about a fifth of its CPU (a thread and a WebAssembly instance started for nothing).
   */
  keepSpare = false

  take(jq: LoadedJq, memoryCapMb: number): JqWorker {
    let worker = this.spare
    if (!worker || !worker.alive || worker.memoryCapMb !== memoryCapMb) {
      worker?.terminate()
      worker = new JqWorker(jq, memoryCapMb)
    }
    this.spare = this.keepSpare ? new JqWorker(jq, memoryCapMb) : undefined
    return worker
  }

  close(): void {
    this.spare?.terminate()
    this.spare = undefined
  }
}
