import type { JqInstance, JqStdio } from './jqInstance'
import type { JqSignal, JqWorkerMessage } from './jqProtocol'
import type { StackGuard } from './jqStackGuard'
import type { Inbox } from './jqWorkerInbox'

/** What a worker's role works with: its jq instance, its port, and the limits it checks between jobs. */
export interface WorkerContext {
  jq: JqInstance
  guard: StackGuard
  inbox: Inbox
  post(message: JqWorkerMessage): void
  /** jq's standard streams, which the role wires to its jobs. */
  stdio: JqStdio
  /** What the main thread reads of the worker's progress without a message (jqProtocol). */
  signal: JqSignal
  /** An answer longer than this is not sent (jqOutputLines). */
  maxLineBytes: number
  /** Past this much memory, between jobs, the worker asks to be replaced by a fresh one. */
  recycleBytes: number
}
