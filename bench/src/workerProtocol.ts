/**
 * What main.js and a contender's process (worker.js) say to each other: the contender to run, given on the
 * command line, then over IPC a round at a time until `exit`.
 */
import type { ContenderId, RoundFigures } from './results'

export interface WorkerInit {
  contender: ContenderId
  url: string
  username: string
  password: string
  poolSize: number
  batchSize: number
}

export interface RoundRequest {
  type: 'round'
  round: number
  durationMs: number
  concurrency: number
}

export interface ExitRequest {
  type: 'exit'
}

/** Sent once the contender has loaded everything and built its event pool, before any request. */
export interface ReadyReply {
  type: 'ready'
  units: number
  baselineRssBytes: number
}

export interface RoundReply {
  type: 'round'
  figures: RoundFigures
  firstError?: string
  /** The process's peak RSS over its whole life so far (getrusage maxRSS). */
  peakRssBytes: number
  rssBytes: number
}

export interface ErrorReply {
  type: 'error'
  error: string
}
