import type { LoadedJq } from './jqWeb'
import { JqWorker } from './workerHandle'

/**
 * Workers for the engine's queues, one always started ahead: a worker takes some 50 ms to start (a thread, jq.js,
 * a WebAssembly instance), which a new program after an edit in the studio, or a restart after a runaway, should
 * not wait for. Taking the spare starts the next one.
 */
export class WorkerPool {
  private spare: JqWorker | undefined
  /** Off for batch work that can wait for a start (each spare is a thread and a WebAssembly instance). */
  keepSpare = true

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
