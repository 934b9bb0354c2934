/**
 * The benchmark's arithmetic: percentiles, medians, rounding, the order of the contenders in a round. Nothing
 * here times anything or starts a process, so it is unit-tested (test/bench/).
 */
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

/** Contender order for round `r` (0-based): rotated by one each round, so that no contender always goes first. */
export function roundOrder<T>(ids: readonly T[], r: number): T[] {
  const k = r % ids.length
  return [...ids.slice(k), ...ids.slice(0, k)]
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
