/**
 * The contenders' rounds: a discarded warm-up each, then rounds in which they run one after another in an
 * order rotated by one each round, with the receiver's counts and CPU read around every run. Then each
 * contender's figures over its rounds.
 */
import { LABELS } from './contenderLabels'
import { runContenderRound } from './contenderProcess'
import type { Contender } from './contenderProcess'
import { log } from './log'
import type { RoundPlan, Workload } from './options'
import { procCpuUs } from './procfs'
import type { Receiver, ReceiverStats } from './receivers'
import type { ContenderResult, Results, RoundFigures } from './results'
import { summarizeContender } from './contenderFigures'
import { round, roundOrder } from './stats'

type Plan = RoundPlan & Pick<Workload, 'concurrency'>

/** A note when the receiver did not see exactly the requests the contender reported, with the right credentials. */
function receiverCountsNote(
  r: number,
  contender: Contender,
  figures: RoundFigures,
  before: ReceiverStats,
  after: ReceiverStats
) {
  const requests = after.requests - before.requests
  if (requests === figures.requests && after.badAuth === before.badAuth) return undefined
  const badAuth = after.badAuth - before.badAuth
  return `round ${r} ${contender.id}: the receiver counted ${requests} requests (${badAuth} with wrong credentials), the contender ${figures.requests}`
}

/** One measured round of one contender; a note if the receiver's counts disagree with the contender's. */
async function measuredRound(
  contender: Contender,
  r: number,
  receiver: Receiver,
  plan: Plan
): Promise<string | undefined> {
  const before = receiver.stats ? await receiver.stats() : undefined
  const cpuBefore = procCpuUs(receiver.child.pid)
  const figures = await runContenderRound(contender, r, plan.concurrency, plan.seconds)
  const cpuAfter = procCpuUs(receiver.child.pid)
  if (cpuBefore !== undefined && cpuAfter !== undefined) {
    contender.receiverCpuUs += cpuAfter - cpuBefore
    contender.receiverWallMs += figures.elapsedMs
  }
  let note: string | undefined
  if (receiver.stats && before) {
    const after = await receiver.stats()
    contender.connectionsOpened += after.connections - before.connections
    note = receiverCountsNote(r, contender, figures, before, after)
  }
  contender.rounds.push(figures)
  return note
}

function roundCell(contender: Contender): string {
  const figures = contender.rounds[contender.rounds.length - 1]
  const failed = figures.failed ? ` (${figures.failed} failed)` : ''
  return `${contender.id} ${Math.round(figures.eventsPerSecond).toLocaleString('en-US')}/s${failed}`
}

/** The measured rounds; returns the notes of any round the receiver counted otherwise. */
async function runRounds(contenders: Contender[], receiver: Receiver, plan: Plan): Promise<string[]> {
  const mismatches: string[] = []
  for (let r = 1; r <= plan.rounds; r++) {
    const cells: string[] = []
    for (const contender of roundOrder(contenders, r - 1)) {
      const note = await measuredRound(contender, r, receiver, plan)
      if (note) mismatches.push(note)
      cells.push(roundCell(contender))
    }
    log(`round ${r}/${plan.rounds}: ${cells.join(', ')}`)
  }
  return mismatches
}

function contenderResult(contender: Contender, receiverCounts: boolean): ContenderResult {
  const { label, description } = LABELS[contender.id]
  const { rounds, peakRssBytes, baselineRssBytes } = contender
  const result = summarizeContender(label, description, rounds, peakRssBytes, baselineRssBytes)
  if (receiverCounts) result.connectionsOpened = contender.connectionsOpened
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0)
  if (contender.receiverWallMs > 0 && requests > 0) {
    result.receiverCpuUsPerRequest = round(contender.receiverCpuUs / requests, 1)
    result.receiverCpuShare = round(contender.receiverCpuUs / 1000 / contender.receiverWallMs, 2)
  }
  return result
}

/** Warm-up, rounds, and every contender's figures, with the notes on what the receiver saw and what failed. */
export async function runContenderRounds(
  contenders: Contender[],
  receiver: Receiver,
  plan: Plan
): Promise<{ results: Results['contenders']; notes: string[] }> {
  for (const contender of contenders) await runContenderRound(contender, 0, plan.concurrency, plan.warmupSeconds)
  for (const contender of contenders) contender.errors = []
  const notes = await runRounds(contenders, receiver, plan)
  const receiverMismatch = notes.length > 0
  const results: Results['contenders'] = {}
  for (const contender of contenders) {
    results[contender.id] = contenderResult(contender, receiver.stats !== undefined)
    if (contender.errors.length) notes.push(`${contender.id} failures, first: ${contender.errors.join(' || ')}`)
  }
  if (!receiverMismatch && receiver.stats && contenders.length > 0)
    notes.push('The receiver counted exactly the requests each contender reported, all with the right credentials.')
  return { results, notes }
}
