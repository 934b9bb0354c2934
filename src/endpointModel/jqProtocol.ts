import type { MessagePort } from 'worker_threads'

/**
 * What the main thread and a jq worker say to each other. The worker spends its life inside jq's main(), which
 * reads stdin synchronously, so it cannot take messages from its event loop: it takes them with
 * receiveMessageOnPort and sleeps on a shared counter (Atomics.wait) that the main thread bumps after each
 * message. Its answers go back as ordinary messages, which the main thread can also take synchronously.
 */

/** Slots of the shared Int32Array. */
export const SIGNAL_SLOT = 0
/** The last mark an instrumented program wrote (see jqSandbox's __mi_mark), or -1. */
export const MARK_SLOT = 1
export const SIGNAL_SLOTS = 2

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
