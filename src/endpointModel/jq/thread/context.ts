import type { JqInstance, JqStdio } from './instance'
import type { JqSignal, JqWorkerMessage } from '../protocol'
import type { StackGuard } from './stackGuard'
import type { Inbox } from './inbox'

/** What a worker's role works with: its jq instance, its port, and the limits it checks between jobs. */
export interface WorkerContext {
  jq: JqInstance
  guard: StackGuard
  inbox: Inbox
  post(message: JqWorkerMessage): void
  /** jq's standard streams, which the role wires to its jobs. */
  stdio: JqStdio
  /** What the main thread reads of the worker's progress without a message (../protocol.ts). */
  signal: JqSignal
  /** An answer longer than this is not sent (outputLines.ts). */
  maxLineBytes: number
  /** Past this much memory, between jobs, the worker asks to be replaced by a fresh one. */
  recycleBytes: number
}
