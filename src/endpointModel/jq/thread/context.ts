import { receiveMessageOnPort } from 'worker_threads'
import type { MessagePort } from 'worker_threads'
import type { JqInstance, JqStdio } from './instance'
import { SIGNAL_SLOT } from '../protocol'
import type { JqSignal, JqWorkerMessage, JqWorkerStopReason } from '../protocol'

/**
 * What a worker's role (stream.ts, check.ts) works with: its jq instance, its port read synchronously (Inbox),
 * the limits it checks between jobs (the stack guard among them), and why jq's main() ended when it threw.
 */
export interface WorkerContext {
  jq: JqInstance
  guard: StackGuard
  inbox: Inbox
  post(message: JqWorkerMessage): void
  /** jq's standard streams, which the role wires to its jobs. */
  stdio: JqStdio
  /** What the main thread reads of the worker's progress without a message (../protocol.ts). */
  signal: JqSignal
  /** An answer longer than this is not sent (output.ts). */
  maxLineBytes: number
  /** Past this much memory, between jobs, the worker asks to be replaced by a fresh one. */
  recycleBytes: number
}

/**
 * The worker's side of its port, read synchronously: jq's main() asks for its next input from inside
 * WebAssembly, where the event loop cannot run. Reading the counter before looking at the port means a message
 * posted in between is never slept through: its bump makes Atomics.wait return at once.
 */
export class Inbox {
  constructor(private readonly port: MessagePort, private readonly signal: Int32Array) {}

  /** The next message if one is already here, without waiting. */
  poll(): unknown {
    return receiveMessageOnPort(this.port)?.message
  }

  /** The next message from the main thread, sleeping until there is one. */
  next(): unknown {
    for (;;) {
      const seen = Atomics.load(this.signal, SIGNAL_SLOT)
      const received = receiveMessageOnPort(this.port)
      if (received) return received.message
      Atomics.wait(this.signal, SIGNAL_SLOT, seen)
    }
  }
}

/**
 * Emscripten's C stack lives in linear memory, just above jq's static data, and this build does not check it for
 * overflow: `tojson` or `tostring` on a value nested about 40 levels deep (some 1.5 KB of stack per level) runs past
 * its end and silently overwrites jq's globals, so the instance gives wrong answers or traps later, on other
 * events. Ordinary work uses less than 20 KB of it, and memory starts zeroed, so its lowest 4 KB serve as a
 * guard: once anything was written there, the instance is no longer trusted.
 *
 * jq-web 0.6.2 keeps Emscripten's default stack of 64 KiB below the initial stack pointer;
 * test/endpointModel/jqWebInternals.test.ts checks that the guard is zero after real work and set by overflow.
 */

export const STACK_BYTES = 64 * 1024
const GUARD_WORDS = 1024

export interface StackGuard {
  /** Whether anything was ever written to the guard region. */
  touched(): boolean
}

export function stackGuard(memory: WebAssembly.Memory, stackTop: number): StackGuard {
  const low = stackTop - STACK_BYTES
  if (low <= 0 || low % 4 !== 0) throw new Error(`jq's stack does not start where expected (top ${stackTop})`)
  const touched = () => {
    // A plain loop: this runs between every two events.
    const words = new Int32Array(memory.buffer, low, GUARD_WORDS)
    for (let i = 0; i < GUARD_WORDS; i++) if (words[i] !== 0) return true
    return false
  }
  if (touched()) throw new Error(`jq's stack guard region (${low}) is not free: jq-web's memory layout changed`)
  return { touched }
}

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
