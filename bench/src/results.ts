/**
 * The shape of bench/results.json (what a run measured, and the figures drawn from it) and its writing.
 */
import { writeFileSync } from 'fs'
import type { Breakdown } from './breakdown'
import type { CoverageResult } from './coverageBench'
import type { MovableInkFigures } from './movableInkPhase'

export const CONTENDER_IDS = ['reference', 'project', 'batched', 'limit', 'client'] as const
export type ContenderId = typeof CONTENDER_IDS[number]

/** What one contender measured in one round. */
export interface RoundFigures {
  round: number
  events: number
  requests: number
  failed: number
  elapsedMs: number
  eventsPerSecond: number
  p50Ms: number
  p99Ms: number
  /** CPU time (user + system) of the contender process during the round, per event. */
  cpuUsPerEvent: number
}

export interface ContenderResult {
  label: string
  description: string
  /** Median over the rounds. */
  eventsPerSecond: number
  p50Ms: number
  p99Ms: number
  cpuUsPerEvent: number
  /** The contender process's peak resident set size (its own getrusage maxrss), over all its rounds. */
  peakRssBytes: number
  /** Its resident set size once everything was loaded and the events built, before the first request. */
  baselineRssBytes: number
  events: number
  failed: number
  /** TCP connections the receiver accepted from this contender during its rounds (minimal receiver only). */
  connectionsOpened?: number
  /** The receiver's CPU per request while this contender ran, and its share of one core (1 = saturated). */
  receiverCpuUsPerRequest?: number
  receiverCpuShare?: number
  rounds: RoundFigures[]
}

export interface SendResult {
  status: 'ok' | 'skipped' | 'failed'
  reason?: string
  events?: number
  fileBytes?: number
  concurrency?: number
  batch?: number
  receiver?: string
  wallMs?: number
  /** events / wall time of the `send` process, as measured here. */
  eventsPerSecond?: number
  /** CPU time (user + system) of the `send` process per event, polled from /proc/<pid>/stat every 50 ms. */
  cpuUsPerEvent?: number
  /** Peak RSS of the `send` process, polled from /proc/<pid>/status (VmHWM). */
  peakRssBytes?: number
  /** What `send --summary-json` wrote. */
  summary?: Record<string, unknown>
  /** One project round run right after the send, for the drift while it ran alone (not interleaved). */
  projectEventsPerSecondAfterSend?: number
  /** Whether `send` kept its delivery journal (its default) or ran with --no-journal. */
  journal?: boolean
}

/** The backfill: `send --batch N` with the journal, against the batched contender on the same receiver. */
export interface BackfillResult extends SendResult {
  input?: 'jsonl' | 'gzip'
  /** The batched contender's median events/s in this run's rounds, and the ratio of the backfill to it. */
  batchedEventsPerSecond?: number
  ratioToBatched?: number
  /** One round of the batched contender right after the backfill: the drift while it ran alone. */
  batchedEventsPerSecondAfter?: number
  /** `send --resume` of the backfill's journal: complete when every event was already done and none sent. */
  resume?: { complete: boolean; alreadyDone: number; sent: number; wallMs?: number }
}

export interface Target {
  name: string
  value: number | null
  target: string
  met: boolean | null
}

export interface Machine {
  cpuModel: string
  cores: number
  node: string
  platform: string
  arch: string
  totalMemoryBytes: number
}

export interface Results {
  generatedAt: string
  command: string
  quick: boolean
  machine: Machine
  config: Record<string, unknown>
  contenders: Partial<Record<ContenderId, ContenderResult>>
  ratios: {
    project_vs_reference: number | null
    batched_vs_reference: number | null
    project_vs_limit: number | null
    reference_vs_limit: number | null
    client_vs_limit: number | null
  }
  send: SendResult
  /** `send --no-journal` of the same file, right after `send`: the journal's cost. */
  sendNoJournal?: SendResult
  /** `send --batch N` of the same file: context, no target. */
  sendBatched?: SendResult
  /** The backfill (backfillPhase.ts). */
  backfill?: BackfillResult
  /** `test --coverage` of the same file, with the default endpoint file. */
  coverage?: CoverageResult
  /** The jq engine, the stand-in with event mappings, the studio (movableInkPhase.ts). */
  movableInk?: MovableInkFigures
  targets: Target[]
  /** Our own per-event work measured in-process (bench/src/breakdown.ts). */
  breakdown?: Breakdown
  /** CPU per event, split by who spends it (see costSplit). */
  costSplit?: CostSplit
  notes: string[]
}

export interface CostSplit {
  /** The bare loop's CPU per event: the HTTP client (node-fetch over node:http) and the kernel's loopback. */
  httpClientUs: number | null
  /** The reference's CPU per event minus the bare loop's: what actions-core's runtime adds (the reference's own code is one call). */
  runtimeUs: number | null
  /** Of runtimeUs, actions-core's request client around the same fetch (contender 5 minus the bare loop). */
  requestClientUs: number | null
  /** Of runtimeUs, the rest: Destination.onEvent's dispatch, mapping, validation and response handling (reference minus contender 5). */
  destinationUs: number | null
  /** In-process: Destination.onEvent with a perform that sends nothing (part of destinationUs). */
  runtimeDispatchUs: number | null
  /** This project's CPU per event minus the reference's, measured end to end (noisy: tens of µs either way). */
  projectMinusReferenceUs: number | null
  /** In-process micro-measurement of our checks (URL, requirements, headers, size) beyond the one JSON.stringify. */
  checksUs: number | null
  /** The same for batching: our per-event work in sendBatch besides the request (stringify included). */
  batchOwnUs: number | null
}

/** Megabytes as the issue counts them: 10^6 bytes (so "under 250 MB" is under 250,000,000 bytes). */
export const MB = 1_000_000

export function writeResults(path: string, results: Results): void {
  writeFileSync(path, JSON.stringify(results, null, 2) + '\n')
}
