/**
 * The benchmark's arithmetic: percentiles, medians, per-round ratios, a contender's figures over its rounds.
 * Nothing here times anything or starts a process, so it is unit-tested (test/bench/).
 */
import type { ContenderId, ContenderResult, Results, RoundFigures } from './results'

/** Nearest-rank percentile (p in 0..100) of `values`; NaN for no values. Does not modify `values`. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const n = values.length
  if (n === 0) return NaN
  const sorted = Float64Array.from(values).sort()
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * n)
  return sorted[Math.min(n, Math.max(1, rank)) - 1]
}

/** Median of `values` (mean of the two middle ones for an even count); NaN for none. */
export function median(values: ArrayLike<number>): number {
  const n = values.length
  if (n === 0) return NaN
  const sorted = Float64Array.from(values).sort()
  const mid = Math.floor(n / 2)
  return n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

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

/** Contender order for round `r` (0-based): rotated by one each round, so that no contender always goes first. */
export function roundOrder<T>(ids: readonly T[], r: number): T[] {
  const k = r % ids.length
  return [...ids.slice(k), ...ids.slice(0, k)]
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
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
