/**
 * A contender's figures over its rounds, and the per-round ratios between contenders: the arithmetic of
 * stats.ts applied to results.json's shapes (unit-tested in test/bench/).
 */
import type { ContenderId, ContenderResult, Results, RoundFigures } from './results'
import { median, round } from './stats'

/**
 * How many times faster `ours` is than `theirs`, in events per second (higher is better for `ours`): the
 * median of the per-round ratios, so that each ratio compares two runs from the same round (same drift).
 * Null when either side has no usable round.
 */
export function pairedRatio(ours: RoundFigures[] | undefined, theirs: RoundFigures[] | undefined): number | null {
  if (!ours || !theirs) return null
  const byRound = new Map(theirs.map((r) => [r.round, r.eventsPerSecond]))
  const ratios: number[] = []
  for (const r of ours) {
    const other = byRound.get(r.round)
    if (other !== undefined && other > 0 && Number.isFinite(r.eventsPerSecond)) ratios.push(r.eventsPerSecond / other)
  }
  return ratios.length ? round(median(ratios), 3) : null
}

/** One contender's figures from its rounds (medians over the rounds) and its process's memory. */
export function summarizeContender(
  label: string,
  description: string,
  rounds: RoundFigures[],
  peakRssBytes: number,
  baselineRssBytes: number
): ContenderResult {
  return {
    label,
    description,
    eventsPerSecond: round(median(rounds.map((r) => r.eventsPerSecond)), 0),
    p50Ms: round(median(rounds.map((r) => r.p50Ms)), 2),
    p99Ms: round(median(rounds.map((r) => r.p99Ms)), 2),
    cpuUsPerEvent: round(median(rounds.map((r) => r.cpuUsPerEvent)), 1),
    peakRssBytes,
    baselineRssBytes,
    events: rounds.reduce((sum, r) => sum + r.events, 0),
    failed: rounds.reduce((sum, r) => sum + r.failed, 0),
    rounds
  }
}

export function computeRatios(contenders: Results['contenders']): Results['ratios'] {
  const rounds = (id: ContenderId) => contenders[id]?.rounds
  return {
    project_vs_reference: pairedRatio(rounds('project'), rounds('reference')),
    batched_vs_reference: pairedRatio(rounds('batched'), rounds('reference')),
    project_vs_limit: pairedRatio(rounds('project'), rounds('limit')),
    reference_vs_limit: pairedRatio(rounds('reference'), rounds('limit')),
    client_vs_limit: pairedRatio(rounds('client'), rounds('limit'))
  }
}
