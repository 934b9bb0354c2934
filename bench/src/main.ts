/**
 * `npm run bench`: delivery throughput, latency and memory of this project against Segment's published
 * Movable Ink destination and against the bare HTTP client, side by side in one run, plus `movable-ink send`
 * of a large JSON Lines file. See bench/README.md.
 */
import { existsSync, mkdirSync } from 'fs'
import path from 'path'
import { performance } from 'perf_hooks'
import { assembleResults } from './assembleResults'
import { runBackfill } from './backfillPhase'
import { stopChildrenOnExit } from './childProcesses'
import { runContenderRound, startContender, stopContenders } from './contenderProcess'
import type { Contender } from './contenderProcess'
import { makeEvents } from './events'
import { measureInProcess } from './inProcess'
import { runMovableInkPhase } from './movableInkPhase'
import type { InProcessFigures } from './inProcess'
import { runContenderRounds } from './interleavedRounds'
import { log } from './log'
import { parseArgs } from './options'
import type { BenchOptions, ContenderChoice } from './options'
import { CLI, OUT_DIR } from './paths'
import { startReceiver } from './receivers'
import type { Receiver } from './receivers'
import { CONTENDER_IDS, writeResults } from './results'
import type { ContenderId, ContenderResult, Results, SendResult } from './results'
import { runSendPhase } from './sendPhase'
import type { Backfill, SendRuns } from './sendPhase'
import { round } from './stats'
import { formatTables } from './tables'

/** The events the in-process measurements use, and the pool's average size (the contenders build the same). */
function eventSample(poolSize: number) {
  const sample = makeEvents(Math.min(poolSize, 2000))
  const bytes = sample.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e)), 0)
  return { sample, averageEventBytes: round(bytes / sample.length, 0) }
}

async function startContendersReceiver(kind: ContenderChoice['receiver']): Promise<Receiver> {
  if (kind === 'cli' && !existsSync(CLI)) throw new Error('--receiver cli: dist/cli/main.js does not exist yet')
  const receiver = await startReceiver(kind)
  const name = receiver.kind === 'cli' ? 'movable-ink receive --no-record --quiet' : 'minimal bench receiver'
  log(`receiver: ${name} at ${receiver.url} (pid ${receiver.child.pid})`)
  return receiver
}

async function startContenders(options: BenchOptions, url: string, averageEventBytes: number): Promise<Contender[]> {
  const ids = CONTENDER_IDS.filter((id) => options.only.includes(id))
  const contenders = await Promise.all(ids.map((id) => startContender(id, options, options, url)))
  log(
    `contenders: ${ids.join(', ')}; ${options.rounds} rounds of ${options.seconds} s each, concurrency ${
      options.concurrency
    }, ${options.poolSize} events (avg ${averageEventBytes} B) cycled, batch size ${options.batchSize}`
  )
  return contenders
}

/**
 * `send` ran alone, not interleaved: one more round of the project contender right after it shows how far
 * the machine drifted meanwhile.
 */
async function driftRoundAfterSend(contenders: Contender[], send: SendResult, options: BenchOptions) {
  const project = contenders.find((c) => c.id === 'project')
  if (!project || send.status !== 'ok') return
  const after = await runContenderRound(project, options.rounds + 1, options.concurrency, options.seconds)
  send.projectEventsPerSecondAfterSend = after.eventsPerSecond
  log(`project round after send: ${Math.round(after.eventsPerSecond).toLocaleString('en-US')}/s`)
}

/** The backfill against the contenders' receiver and batched contender, unless --skip-backfill. */
function backfillFor(
  options: BenchOptions,
  receiver: Receiver,
  contenders: Contender[],
  results: Partial<Record<ContenderId, ContenderResult>>
): Backfill | undefined {
  if (options.backfill.skip) return undefined
  const contender = contenders.find((c) => c.id === 'batched')
  const result = results.batched
  const batched = contender && result ? { contender, result } : undefined
  return (file) => runBackfill(file, { plan: options.backfill, workload: options, rounds: options, receiver, batched })
}

function logSendReasons({ send, sendBatched }: SendRuns) {
  if (send.reason) log(send.reason)
  if (sendBatched?.reason) log(sendBatched.reason)
}

function printBreakdown(inProcess: InProcessFigures) {
  process.stdout.write(JSON.stringify(inProcess, null, 2) + '\n')
}

function printResults(results: Results, out: string) {
  log('')
  log(formatTables(results))
  log('')
  for (const note of results.notes) log(`note: ${note}`)
  log(`results: ${path.relative(process.cwd(), out)} (wall ${results.config.wallSeconds} s)`)
}

async function main() {
  stopChildrenOnExit()
  const argv = process.argv.slice(2)
  const options = parseArgs(argv)
  mkdirSync(OUT_DIR, { recursive: true })
  const runStarted = performance.now()
  const { sample, averageEventBytes } = eventSample(options.poolSize)
  const inProcess = await measureInProcess(sample, options.quick)
  if (options.breakdownOnly) return printBreakdown(inProcess)

  const receiver = await startContendersReceiver(options.receiver)
  const contenders = await startContenders(options, receiver.url, averageEventBytes)
  const { results, notes } = await runContenderRounds(contenders, receiver, options)
  const sends = await runSendPhase(options, backfillFor(options, receiver, contenders, results))
  await driftRoundAfterSend(contenders, sends.send, options)
  logSendReasons(sends)
  await stopContenders(contenders)
  receiver.child.kill('SIGTERM')
  const movableInk = options.skipMovableInk ? undefined : await runMovableInkPhase(options.quick)

  const receiverKind = receiver.kind
  const record = {
    argv,
    options,
    runStarted,
    averageEventBytes,
    receiverKind,
    contenders: results,
    sends,
    movableInk,
    inProcess,
    notes
  }
  const full = assembleResults(record)
  writeResults(options.out, full)
  printResults(full, options.out)
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error instanceof Error ? error.stack : error)
      process.exit(1)
    }
  )
}
