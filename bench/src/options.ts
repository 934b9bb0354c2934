/**
 * `npm run bench -- [options]` (see bench/README.md for the table), in one bag per concern: what each
 * contender does, how the rounds go, which contenders and receiver, the `send` runs, the run itself.
 */
import path from 'path'
import { DEFAULT_RESULTS_FILE } from './paths'
import { CONTENDER_IDS } from './results'
import type { ContenderId } from './results'

export type ReceiverKind = 'minimal' | 'cli'

/** What every contender does, alike. */
export interface Workload {
  /** Requests in flight (and `send --concurrency`). */
  concurrency: number
  /** Events generated and cycled through. */
  poolSize: number
  /** The batched contender's batch_size. */
  batchSize: number
}

export interface RoundPlan {
  rounds: number
  seconds: number
  warmupSeconds: number
}

export interface ContenderChoice {
  only: ContenderId[]
  receiver: ReceiverKind
  profile: boolean
  /** Extra Node flags for every contender process alike (for experiments, e.g. --max-semi-space-size=64). */
  nodeFlags: string[]
}

export interface SendPlan {
  sendEvents: number
  sendBatch: number
  skipSend: boolean
  keepJsonl: boolean
  sendReceiver: ReceiverKind | 'auto'
  /** The backfill: `send --batch <batchSize>` with the journal, to the contenders' receiver (backfillPhase.ts). */
  backfill: BackfillPlan
}

export interface BackfillPlan {
  skip: boolean
  /** Only the batched contender's rounds and the backfill (no one-per-request sends, coverage or jq). */
  only: boolean
  /** Read the archive as Segment's S3 destination writes it, gzipped JSON Lines, instead of plain JSON Lines. */
  gzip: boolean
}

export interface RunOptions {
  quick: boolean
  /** Leave out Movable Ink's side (the jq engine, the stand-in with event mappings, the studio). */
  skipMovableInk: boolean
  /** Only the in-process breakdown, printed as JSON; nothing else runs and results.json is not written. */
  breakdownOnly: boolean
  out: string
}

export type BenchOptions = RunOptions & Workload & RoundPlan & ContenderChoice & SendPlan

interface Args {
  has(name: string): boolean
  value(name: string): string | undefined
  /** A non-negative number, or `fallback` when the option is not given. */
  num(name: string, fallback: number): number
}

/** `--name value` and `--name=value`. */
function readArgs(argv: string[]): Args {
  const value = (name: string): string | undefined => {
    const i = argv.findIndex((a) => a === name || a.startsWith(name + '='))
    if (i < 0) return undefined
    return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1]
  }
  const num = (name: string, fallback: number) => {
    const v = value(name)
    const n = v === undefined ? fallback : Number(v)
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} needs a number, got ${v}`)
    return n
  }
  return { has: (name) => argv.includes(name), value, num }
}

function receiverOf(args: Args): ReceiverKind {
  const receiver = args.value('--receiver') ?? 'minimal'
  if (receiver !== 'minimal' && receiver !== 'cli') throw new Error('--receiver is minimal or cli')
  return receiver
}

function sendReceiverOf(args: Args): SendPlan['sendReceiver'] {
  const sendReceiver = args.value('--send-receiver') ?? 'auto'
  if (sendReceiver !== 'minimal' && sendReceiver !== 'cli' && sendReceiver !== 'auto')
    throw new Error('--send-receiver is auto, minimal or cli')
  return sendReceiver
}

// --send-only: no contenders, only `send` (with and without the journal, and batched unless --send-batch 0).
function contendersOf(args: Args, sendOnly: boolean): ContenderId[] {
  const only = (
    sendOnly ? [] : (args.value('--only') ?? CONTENDER_IDS.join(',')).split(',').filter(Boolean)
  ) as ContenderId[]
  for (const id of only) if (!CONTENDER_IDS.includes(id)) throw new Error(`--only: unknown contender ${id}`)
  return only
}

function backfillOf(args: Args): BackfillPlan {
  return { skip: args.has('--skip-backfill'), only: args.has('--backfill-only'), gzip: args.has('--backfill-gzip') }
}

export function parseArgs(argv: string[]): BenchOptions {
  const args = readArgs(argv)
  const quick = args.has('--quick')
  const sendOnly = args.has('--send-only')
  const backfill = backfillOf(args)
  return {
    quick,
    rounds: sendOnly ? 0 : args.num('--rounds', quick ? 3 : 7),
    seconds: args.num('--seconds', quick ? 1 : 3),
    warmupSeconds: args.num('--warmup', quick ? 0.5 : 1.5),
    concurrency: args.num('--concurrency', 16),
    poolSize: args.num('--pool', quick ? 2000 : 10_000),
    batchSize: args.num('--batch-size', 100),
    sendEvents: args.num('--send-events', quick ? 20_000 : 1_000_000),
    sendBatch: args.num('--send-batch', 100),
    skipSend: args.has('--skip-send'),
    keepJsonl: args.has('--keep-jsonl'),
    receiver: receiverOf(args),
    sendReceiver: sendReceiverOf(args),
    profile: args.has('--profile'),
    nodeFlags: (args.value('--node-flags') ?? '').split(' ').filter(Boolean),
    only: backfill.only ? ['batched'] : contendersOf(args, sendOnly),
    backfill,
    breakdownOnly: args.has('--breakdown-only'),
    skipMovableInk: args.has('--skip-movable-ink') || sendOnly || backfill.only,
    out: path.resolve(args.value('--out') ?? DEFAULT_RESULTS_FILE)
  }
}
