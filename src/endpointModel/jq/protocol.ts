import { performance } from 'perf_hooks'
import type { MessagePort } from 'worker_threads'

/**
 * What the main thread and a jq worker say to each other. The worker spends its life inside jq's main(), which
 * reads stdin synchronously, so it cannot take messages from its event loop: it takes them with
 * receiveMessageOnPort and sleeps on a shared counter (Atomics.wait) that the main thread bumps after each
 * message. Its answers go back as ordinary messages, a few milliseconds' worth at a time; which job it is on,
 * and since when, it keeps in the shared buffer, so that deadlines are judged by the worker's own progress.
 */

/** Int32 slots of the shared buffer: the counter the worker sleeps on, */
export const SIGNAL_SLOT = 0
/** the last mark an instrumented program wrote (see sandbox.ts's __mi_mark), or -1, */
export const MARK_SLOT = 1
/** and how many jobs the worker has handed to jq (the last of them is running, unless it was answered). */
export const STARTED_SLOT = 2
const INT32_SLOTS = 4
/** A Float64 after them: when the last job was handed to jq (or jq began compiling), in epoch milliseconds. */
export const SIGNAL_BYTES = INT32_SLOTS * 4 + 8

export interface JqSignal {
  slots: Int32Array
  startedAt: Float64Array
}

export function signalOf(buffer: SharedArrayBuffer): JqSignal {
  return { slots: new Int32Array(buffer, 0, INT32_SLOTS), startedAt: new Float64Array(buffer, INT32_SLOTS * 4, 1) }
}

/** The same clock in every thread: each thread's performance.now() counts from its own start. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now()
}

export interface JqWorkerData {
  port: MessagePort
  signal: SharedArrayBuffer
  /** jq-web's jq.js (path and text) and its compiled jq.wasm. */
  file: string
  source: string
  wasm: WebAssembly.Module
  memoryCapBytes: number
}

/** Run one program over a stream of JSON texts (one per job), or compile-check one program text per job. */
export type JqRole = { role: 'stream'; program: string; marks: boolean } | { role: 'check' }

/** Main thread to worker, after the role: more jobs, in order. */
export interface JqJobsMessage {
  jobs: string[]
}

/** A compile check's outcome: jq's exit status and what it wrote to stderr. */
export interface JqCheckAnswer {
  exitCode: number
  stderr: string
}

/** A stream job's answer: the program's one output line, or how much longer than the cap it was. */
export type JqStreamAnswer = string | { oversizedBytes: number }

export type JqWorkerAnswer = JqStreamAnswer | JqCheckAnswer

/** Why a worker can go on no longer. */
export type JqWorkerStopReason = 'memory' | 'stack' | 'crash' | 'exit'

export type JqWorkerMessage =
  /** jq's main() is about to compile the program (the start's deadline runs from here). */
  | { kind: 'compiling' }
  /** Ready for jobs (a stream: jq compiled the program and asks for its first input). */
  | { kind: 'ready' }
  | { kind: 'answers'; answers: JqWorkerAnswer[] }
  /** Stopped: the job at the head (once ready) is the cause; `stderr` is jq's last words. */
  | { kind: 'stopped'; reason: JqWorkerStopReason; detail: string; stderr: string }
  /** Its memory grew past the point of recycling: every answer so far was given; start afresh. */
  | { kind: 'recycle' }
