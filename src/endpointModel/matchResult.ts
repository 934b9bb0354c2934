/** A match criterion's verdict: whether it holds (a first output of another type than boolean: `t`), or jq's error. */
export type MatchResult = boolean | { t: string } | { err: string }

/** Whether a match result takes the event: true, or a first output that is not a boolean (Movable Ink's rule). */
export function matched(result: MatchResult | undefined): boolean {
  return result === true || (typeof result === 'object' && result !== null && 't' in result)
}

export function matchError(result: MatchResult | undefined): string | undefined {
  return typeof result === 'object' && result !== null && 'err' in result ? result.err : undefined
}
