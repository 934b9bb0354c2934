/**
 * `movable-ink send` of a large JSON Lines file, alone after the contenders' rounds: one event per request
 * with the journal (the target), the same without it (the journal's cost), then batched (context); then
 * `movable-ink test --coverage` of the same file (coverageBench.ts), and the backfill (backfillPhase.ts).
 */
import { existsSync } from 'fs'
import path from 'path'
import { performance } from 'perf_hooks'
import { ensureJsonl, freeBytes, removeJsonl } from './jsonl'
import type { JsonlFile } from './jsonl'
import { measureCoverage } from './coverageBench'
import type { CoverageResult } from './coverageBench'
import { log } from './log'
import type { ReceiverKind, SendPlan, Workload } from './options'
import { CLI, OUT_DIR, ROOT } from './paths'
import type { BackfillResult, Results, SendResult } from './results'
import { runSend } from './sendRun'
import type { SendRun } from './sendRun'

export type SendRuns = Pick<Results, 'send' | 'sendNoJournal' | 'sendBatched' | 'coverage' | 'backfill'>

/** The backfill of the same file, given by main (it needs the contenders' receiver and batched contender). */
export type Backfill = (file: JsonlFile) => Promise<BackfillResult>

type PreparedFile = { file: JsonlFile; skipped?: undefined } | { file?: undefined; skipped: SendResult }

/** The events file, written or reused, unless `send` is not built or the disk has too little room. */
async function prepareSendFile(events: number): Promise<PreparedFile> {
  if (!existsSync(CLI)) {
    const reason = `send: not available yet (${path.relative(ROOT, CLI)} does not exist after the build)`
    return { skipped: { status: 'skipped', reason } }
  }
  const free = freeBytes(OUT_DIR)
  if (free < events * 1300 * 1.5) {
    const reason = `send: not enough disk for ${events} events (${Math.round(free / 1e6)} MB free in bench/out)`
    return { skipped: { status: 'skipped', reason } }
  }
  const t0 = performance.now()
  const file = await ensureJsonl(OUT_DIR, events)
  const count = file.count.toLocaleString('en-US')
  const seconds = ((performance.now() - t0) / 1000).toFixed(1)
  log(
    `send: ${file.reused ? 'reusing' : 'wrote'} ${path.relative(ROOT, file.path)} ` +
      `(${count} events, ${(file.bytes / 1e6).toFixed(0)} MB) in ${seconds} s`
  )
  return { file }
}

function runSendOrFail(run: SendRun): Promise<SendResult> {
  return runSend(run).catch((error): SendResult => ({ status: 'failed', reason: String(error) }))
}

function logSendRun(title: string, send: SendResult, withRss: boolean): void {
  const rss = send.peakRssBytes ? (send.peakRssBytes / 1e6).toFixed(1) : '-'
  log(`${title}: ${send.status} ${send.eventsPerSecond ?? '-'} events/s${withRss ? `, peak RSS ${rss} MB` : ''}`)
}

async function runSendSeries(first: SendRun, sendBatch: number): Promise<SendRuns> {
  const send = await runSendOrFail(first)
  logSendRun('send', send, true)
  const sendNoJournal = await runSendOrFail({ ...first, journal: false })
  logSendRun('send --no-journal', sendNoJournal, false)
  if (sendBatch <= 0) return { send, sendNoJournal }
  const sendBatched = await runSendOrFail({ ...first, batch: sendBatch })
  logSendRun(`send --batch ${sendBatch}`, sendBatched, true)
  return { send, sendNoJournal, sendBatched }
}

async function coverageOf(file: JsonlFile): Promise<CoverageResult | undefined> {
  try {
    const coverage = await measureCoverage({ file })
    const mb = coverage.peakRssBytes ? (coverage.peakRssBytes / 1e6).toFixed(1) : '-'
    log(`test --coverage: ${coverage.eventsPerSecond} events/s, peak RSS ${mb} MB`)
    return coverage
  } catch (error) {
    log(`test --coverage: failed: ${(error as Error).message}`)
    return undefined
  }
}

/** `send` goes to the stand-in (`movable-ink receive`, as the issue asks) unless told otherwise. */
function sendReceiverKind(plan: Pick<SendPlan, 'sendReceiver'>): ReceiverKind {
  if (plan.sendReceiver !== 'auto') return plan.sendReceiver
  return existsSync(CLI) ? 'cli' : 'minimal'
}

async function backfillOf(file: JsonlFile, backfill?: Backfill): Promise<BackfillResult | undefined> {
  if (!backfill) return undefined
  return backfill(file).catch((error): BackfillResult => ({ status: 'failed', reason: String(error) }))
}

export async function runSendPhase(
  plan: SendPlan & Pick<Workload, 'concurrency'>,
  backfill?: Backfill
): Promise<SendRuns> {
  if (plan.skipSend) return { send: { status: 'skipped', reason: 'send: skipped (--skip-send)' } }
  const receiverKind = sendReceiverKind(plan)
  const prepared = await prepareSendFile(plan.sendEvents).catch(
    (error): PreparedFile => ({ skipped: { status: 'failed', reason: String(error) } })
  )
  if (!prepared.file) return { send: prepared.skipped }
  const { file } = prepared
  try {
    if (plan.backfill.only) {
      const skipped: SendResult = { status: 'skipped', reason: 'send: skipped (--backfill-only)' }
      return { send: skipped, backfill: await backfillOf(file, backfill) }
    }
    const runs = await runSendSeries(
      { receiverKind, concurrency: plan.concurrency, file, batch: 0, journal: true },
      plan.sendBatch
    )
    return { ...runs, coverage: await coverageOf(file), backfill: await backfillOf(file, backfill) }
  } finally {
    if (!plan.keepJsonl) removeJsonl(file.path)
  }
}
