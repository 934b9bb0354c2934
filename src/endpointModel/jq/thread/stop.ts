import type { JqInstance } from './instance'
import type { JqWorkerStopReason } from '../protocol'
import type { StackGuard } from './stackGuard'

/** Thrown from inside jq's stdin hook to unwind jq's main(): the worker decided the instance must not go on. */
export class WorkerStop extends Error {
  constructor(readonly reason: JqWorkerStopReason | 'recycle', detail: string) {
    super(detail)
  }
}

/** Why jq's main() ended with `error`: the engine's own stop, the memory cap, stack overflow, or a crash. */
export function stopOf(
  error: unknown,
  jq: JqInstance,
  guard: StackGuard
): { reason: JqWorkerStopReason; detail: string } {
  if (error instanceof WorkerStop && error.reason !== 'recycle') return { reason: error.reason, detail: error.message }
  if (jq.capReached()) return { reason: 'memory', detail: 'jq needed more memory than its cap' }
  if (guard.touched()) return { reason: 'stack', detail: 'jq ran out of stack space' }
  return { reason: 'crash', detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }
}
