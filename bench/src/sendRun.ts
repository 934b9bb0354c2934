/**
 * One run of `movable-ink send` (dist/cli/main.js) on the JSON Lines file, to a receiver of its own: its
 * events/s over its whole wall time, its CPU and peak RSS polled from /proc, and what `--summary-json` says.
 */
import { spawn } from 'child_process'
import type { ChildProcess } from 'child_process'
import { readFileSync, rmSync } from 'fs'
import path from 'path'
import { performance } from 'perf_hooks'
import { track } from './childProcesses'
import { BENCH_CREDENTIALS } from './credentials'
import type { JsonlFile } from './jsonl'
import type { ReceiverKind } from './options'
import { CLI, OUT_DIR, ROOT } from './paths'
import { procCpuUs, vmHwmBytes } from './procfs'
import { startReceiver } from './receivers'
import type { Receiver, ReceiverStats } from './receivers'
import type { SendResult } from './results'
import { round } from './stats'

export interface SendRun {
  receiverKind: ReceiverKind
  concurrency: number
  file: JsonlFile
  /** `--batch N`; 0 for one event per request. */
  batch: number
  journal: boolean
  /**
   * A receiver already running (the contenders', for the backfill phase), used as it is and left running;
   * without it the run starts one of `receiverKind` and stops it after.
   */
  receiver?: Receiver
  /** Keep the journal after the run (the backfill phase resumes from it); it is removed otherwise. */
  keepJournal?: boolean
  /** `--resume` the journal that the previous run kept. */
  resume?: boolean
}

const SUMMARY_PATH = path.join(OUT_DIR, 'send-summary.json')
export const JOURNAL_PATH = path.join(OUT_DIR, 'send-journal.jsonl')

function sendArgs(run: SendRun, url: string): string[] {
  const { username, password } = BENCH_CREDENTIALS
  return [
    ...[CLI, 'send', run.file.path, '--url', url, '--username', username, '--access-secret', password],
    ...['--concurrency', String(run.concurrency)],
    ...(run.batch > 0 ? ['--batch', String(run.batch)] : []),
    // The generated events are dated from May 2025: Movable Ink's 30-day window would hold them all back.
    ...['--max-age-days', '0'],
    ...(run.resume ? ['--resume', JOURNAL_PATH] : run.journal ? ['--journal', JOURNAL_PATH] : ['--no-journal']),
    ...['--summary-json', SUMMARY_PATH, '--quiet']
  ]
}

interface Usage {
  peakRssBytes: number
  cpuUs: number
}

/** What was measured of a run from outside it. */
interface Measured {
  wallMs: number
  usage: Usage
  receiverStats?: ReceiverStats
}

/** Polls the process's VmHWM and CPU time every 50 ms until `stop()`, which returns the last figures. */
function watchUsage(child: ChildProcess): { stop(): Usage } {
  const usage: Usage = { peakRssBytes: 0, cpuUs: 0 }
  const poll = setInterval(() => {
    const hwm = child.pid ? vmHwmBytes(child.pid) : undefined
    if (hwm !== undefined) usage.peakRssBytes = Math.max(usage.peakRssBytes, hwm)
    const cpu = procCpuUs(child.pid)
    if (cpu !== undefined) usage.cpuUs = Math.max(usage.cpuUs, cpu)
  }, 50)
  return {
    stop: () => {
      clearInterval(poll)
      return usage
    }
  }
}

/** The last 4,000 characters of the process's stderr, for the reason of a failure. */
function stderrTail(child: ChildProcess): () => string {
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  return () => stderr
}

/** The exit code, or that of a SIGTERM after `timeoutMs`. */
async function exitCode(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs)
  const code: number | null = await new Promise((resolve) => child.on('exit', (c) => resolve(c)))
  clearTimeout(timer)
  return code
}

function baseResult(run: SendRun, receiverKind: ReceiverKind, wallMs: number): SendResult {
  return {
    status: 'ok',
    events: run.file.count,
    fileBytes: run.file.bytes,
    concurrency: run.concurrency,
    batch: run.batch || undefined,
    journal: run.journal,
    receiver:
      receiverKind === 'cli' ? 'movable-ink receive --no-record --quiet' : 'minimal (bench/out/bench/src/receiver.js)',
    wallMs: round(wallMs, 0)
  }
}

/** The figures of a run that exited 0, from its own summary and our polls. */
function resultFromSummary(base: SendResult, file: JsonlFile, { wallMs, usage, receiverStats }: Measured): SendResult {
  let summary: Record<string, unknown> | undefined
  try {
    summary = JSON.parse(readFileSync(SUMMARY_PATH, 'utf8'))
  } catch (error) {
    return { ...base, status: 'failed', reason: `no readable --summary-json: ${String(error)}` }
  }
  const childPeak = Number(summary?.peakRssBytes)
  const result: SendResult = {
    ...base,
    // Over the process's whole life (start-up and reading included): the conservative figure.
    eventsPerSecond: round((file.count / wallMs) * 1000, 0),
    // CPU time is less sensitive than events/s to other load on the machine while `send` runs alone.
    cpuUsPerEvent: usage.cpuUs > 0 ? round(usage.cpuUs / file.count, 1) : undefined,
    // The larger of our poll of VmHWM and the process's own figure: a poll can miss the last 50 ms.
    peakRssBytes: Math.max(usage.peakRssBytes, Number.isFinite(childPeak) ? childPeak : 0),
    summary: {
      ...summary,
      // results.json is committed: a path in it is the project's, not this machine's.
      ...(typeof summary?.journalFile === 'string' ? { journalFile: path.relative(ROOT, summary.journalFile) } : {}),
      ...(receiverStats ? { receiverRequests: receiverStats.requests, receiverBadAuth: receiverStats.badAuth } : {})
    }
  }
  if (Number(summary?.sent) !== file.count || Number(summary?.failed) > 0) {
    result.reason = `send reported sent=${String(summary?.sent)} failed=${String(summary?.failed)} of ${file.count}`
  }
  return result
}

export async function runSend(run: SendRun): Promise<SendResult> {
  const receiver = run.receiver ?? (await startReceiver(run.receiverKind))
  rmSync(SUMMARY_PATH, { force: true })
  if (!run.resume) rmSync(JOURNAL_PATH, { force: true })
  const started = performance.now()
  const child = track(spawn(process.execPath, sendArgs(run, receiver.url), { stdio: ['ignore', 'ignore', 'pipe'] }))
  const stderr = stderrTail(child)
  const watch = watchUsage(child)
  const code = await exitCode(child, Math.max(120_000, run.file.count * 2))
  const usage = watch.stop()
  const wallMs = performance.now() - started
  if (!run.keepJournal) rmSync(JOURNAL_PATH, { force: true })
  const receiverStats = receiver.stats ? await receiver.stats().catch(() => undefined) : undefined
  if (!run.receiver) receiver.child.kill('SIGTERM')
  const base = baseResult(run, receiver.kind, wallMs)
  if (code !== 0) {
    const lastLines = stderr().trim().split('\n').slice(-5).join(' | ')
    return { ...base, status: 'failed', reason: `send exited with code ${code}: ${lastLines}` }
  }
  return resultFromSummary(base, run.file, { wallMs, usage, receiverStats })
}
