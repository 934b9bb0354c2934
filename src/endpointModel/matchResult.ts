/** An expression that was not run, having run away on an earlier event (see runawayMarks.ts). */
export type NotRun = { r: true }

/** A field path's verdict: its outputs, jq's error, or not run. */
export type JqResult = { ok: unknown[] } | { err: string } | NotRun

/**
 * A match criterion's verdict: whether it holds (a first output of another type than boolean: `t`), jq's error,
 * or not run.
 */
export type MatchResult = boolean | { t: string } | { err: string } | NotRun

/** Whether a match result takes the event: true, or a first output that is not a boolean (Movable Ink's rule). */
export function matched(result: MatchResult | undefined): boolean {
  return result === true || (typeof result === 'object' && result !== null && 't' in result)
}

export function matchError(result: MatchResult | undefined): string | undefined {
  return typeof result === 'object' && result !== null && 'err' in result ? result.err : undefined
}

export function notRun(result: MatchResult | JqResult | undefined): boolean {
  return typeof result === 'object' && result !== null && 'r' in result
}
