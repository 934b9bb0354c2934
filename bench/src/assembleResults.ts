/**
 * bench/results.json from what a run measured: the machine, the configuration, the figures, and what is
 * drawn from them (ratios, targets, the CPU split).
 */
import os from 'os'
import { performance } from 'perf_hooks'
import type { InProcessFigures } from './inProcess'
import type { MovableInkFigures } from './movableInkPhase'
import type { BenchOptions, ReceiverKind } from './options'
import type { Machine, Results } from './results'
import type { SendRuns } from './sendPhase'
import { computeRatios } from './contenderFigures'
import { round } from './stats'
import { computeCostSplit, evaluateTargets } from './targets'

export interface RunRecord {
  argv: string[]
  options: BenchOptions
  runStarted: number
  averageEventBytes: number
  receiverKind: ReceiverKind
  contenders: Results['contenders']
  sends: SendRuns
  movableInk?: MovableInkFigures
  inProcess: InProcessFigures
  notes: string[]
}

function machine(): Machine {
  const cpus = os.cpus()
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    totalMemoryBytes: os.totalmem()
  }
}

function config(run: RunRecord): Results['config'] {
  const { options } = run
  return {
    rounds: options.rounds,
    secondsPerContenderPerRound: options.seconds,
    warmupSeconds: options.warmupSeconds,
    concurrency: options.concurrency,
    contenderNodeFlags: options.nodeFlags,
    concurrencyMeaning: 'requests in flight (onEvent calls, onBatch calls or fetches), the same for every contender',
    eventPool: options.poolSize,
    averageEventBytes: run.averageEventBytes,
    eventMix: '40% Product Viewed, 20% Product Added, 20% Order Completed (2 products), 20% identify with traits',
    batchSize: options.batchSize,
    receiver:
      run.receiverKind === 'cli'
        ? 'movable-ink receive --no-record (separate process, loopback)'
        : 'minimal Node http server (separate process, loopback), answers 200 {}',
    figures:
      'events/s, p50 and p99: medians over the rounds; ratios: medians of the per-round ratios; peak RSS: the contender process maxrss',
    wallSeconds: round((performance.now() - run.runStarted) / 1000, 1)
  }
}

export function assembleResults(run: RunRecord): Results {
  const { send, sendNoJournal, sendBatched, coverage, backfill } = run.sends
  const measured = {
    contenders: run.contenders,
    ratios: computeRatios(run.contenders),
    send,
    ...(sendNoJournal ? { sendNoJournal } : {}),
    ...(sendBatched ? { sendBatched } : {}),
    ...(coverage ? { coverage } : {}),
    ...(backfill ? { backfill } : {}),
    ...(run.movableInk ? { movableInk: run.movableInk } : {})
  }
  const breakdown = 'error' in run.inProcess ? undefined : run.inProcess
  return {
    generatedAt: new Date().toISOString(),
    command: `npm run bench${run.argv.length ? ' -- ' + run.argv.join(' ') : ''}`,
    quick: run.options.quick,
    machine: machine(),
    config: config(run),
    ...measured,
    targets: evaluateTargets(measured),
    breakdown,
    costSplit: computeCostSplit(run.contenders, breakdown),
    notes: run.notes
  }
}
