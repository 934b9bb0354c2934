/**
 * The backfill (issue: "a backfill at full speed"): `movable-ink send --batch <batch size>` of the whole send
 * file with the journal on, as a customer replays an archive when the destination is switched on, against the
 * batched contender of the same run and the same receiver (the contenders' minimal one, still running), so
 * that the ratio compares the senders, not two receivers. A round of the batched contender right after shows
 * the drift while `send` ran alone; then `send --resume` of the journal it kept must find every event done.
 */
import { createReadStream, createWriteStream, rmSync, statSync } from 'fs'
import { pipeline } from 'stream/promises'
import { createGzip } from 'zlib'
import { runContenderRound } from './contenderProcess'
import type { Contender } from './contenderProcess'
import type { JsonlFile } from './jsonl'
import { log } from './log'
import type { BackfillPlan, RoundPlan, Workload } from './options'
import type { Receiver } from './receivers'
import type { BackfillResult, ContenderResult } from './results'
import { round } from './stats'
import { JOURNAL_PATH, runSend } from './sendRun'

export interface BackfillContext {
  plan: BackfillPlan
  workload: Workload
  rounds: RoundPlan
  receiver: Receiver
  batched?: { contender: Contender; result: ContenderResult }
}

/** Segment's S3 archive form of the file: gzipped JSON Lines, streamed (removed by the caller). */
async function gzipped(file: JsonlFile): Promise<JsonlFile> {
  const target = `${file.path}.gz`
  await pipeline(createReadStream(file.path), createGzip({ level: 6 }), createWriteStream(target))
  return { ...file, path: target, bytes: statSync(target).size, reused: false }
}

/** `send --resume` of the journal the backfill kept: every event must already be done, none sent again. */
async function resumeCheck(run: Parameters<typeof runSend>[0]): Promise<BackfillResult['resume']> {
  const resumed = await runSend({ ...run, resume: true, keepJournal: false })
  const alreadyDone = Number(resumed.summary?.alreadyDone)
  const sent = Number(resumed.summary?.sent)
  const complete = resumed.status === 'ok' && alreadyDone === run.file.count && sent === 0
  return { complete, alreadyDone, sent, wallMs: resumed.wallMs }
}

async function driftRound(context: BackfillContext): Promise<number | undefined> {
  if (!context.batched) return undefined
  const { rounds, concurrency, seconds } = { ...context.rounds, ...context.workload }
  return (await runContenderRound(context.batched.contender, rounds + 2, concurrency, seconds)).eventsPerSecond
}

export async function runBackfill(file: JsonlFile, context: BackfillContext): Promise<BackfillResult> {
  const input = context.plan.gzip ? await gzipped(file) : file
  try {
    const run = {
      receiverKind: context.receiver.kind,
      receiver: context.receiver,
      concurrency: context.workload.concurrency,
      file: input,
      batch: context.workload.batchSize,
      journal: true,
      keepJournal: true
    }
    const sent = await runSend(run)
    const batchedAfter = await driftRound(context)
    const resume = sent.status === 'ok' ? await resumeCheck(run) : undefined
    const batchedEps = context.batched?.result.eventsPerSecond
    const ratio = sent.eventsPerSecond && batchedEps ? round(sent.eventsPerSecond / batchedEps, 2) : undefined
    const result: BackfillResult = {
      ...sent,
      input: context.plan.gzip ? 'gzip' : 'jsonl',
      ...(batchedEps ? { batchedEventsPerSecond: round(batchedEps, 0) } : {}),
      ...(ratio !== undefined ? { ratioToBatched: ratio } : {}),
      ...(batchedAfter ? { batchedEventsPerSecondAfter: round(batchedAfter, 0) } : {}),
      ...(resume ? { resume } : {})
    }
    const rss = result.peakRssBytes ? (result.peakRssBytes / 1e6).toFixed(1) : '-'
    log(
      `backfill (send --batch ${run.batch}, journal, ${result.input}): ${result.status} ${
        result.eventsPerSecond ?? '-'
      } events/s, ${result.cpuUsPerEvent ?? '-'} µs CPU/event, peak RSS ${rss} MB; ` +
        `batched contender ${batchedEps ? Math.round(batchedEps) : '-'} events/s (ratio ${ratio ?? '-'}), ` +
        `${batchedAfter ? Math.round(batchedAfter) : '-'} right after; resume complete: ${resume?.complete ?? '-'}`
    )
    return result
  } finally {
    rmSync(JOURNAL_PATH, { force: true })
    if (input !== file) rmSync(input.path, { force: true })
  }
}
