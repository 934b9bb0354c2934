import type { EventEvaluation, EventProblem } from '../endpointModel'
import type { PreviewItem } from '../preview/previewTypes'

/**
 * An event's status in one word or two, as the page's badges and table, and the exported report, show it:
 * computed here once, sent with each checked item, so the page never decides it again.
 */

export type Status = 'malformed' | 'not sent' | 'refused' | 'unmapped' | 'mapped, with problems' | 'mapped'

export interface Verdict {
  status: Status
  /** The Movable Ink mapping that takes the event, or ''. */
  mapping: string
  /** Why it is not simply mapped: the errors, then the Movable Ink problems with their fixes. */
  why: string
}

/** A Movable Ink problem as one line, with its fix when it has one. */
export function problemText(problem: EventProblem): string {
  return problem.message + (problem.fix ? ` (fix: ${problem.fix})` : '')
}

export function movableInkSideOf(item: PreviewItem): EventEvaluation | undefined {
  return item.results.find((r) => r.movableInk)?.movableInk
}

export function verdictOf(item: PreviewItem): Verdict {
  if (item.malformed) return { status: item.refused ? 'refused' : 'malformed', mapping: '', why: item.malformed }
  if (item.results.length === 0) return { status: 'not sent', mapping: '', why: 'no subscription matches it' }
  const errors = item.results.flatMap((r) => r.errors)
  const evaluation = movableInkSideOf(item)
  const problems = evaluation?.problems.map(problemText) ?? []
  const why = [...errors, ...problems].join('; ')
  const mapping = evaluation?.mapping?.name ?? ''
  if (errors.length > 0) return { status: 'refused', mapping, why }
  if (!mapping) return { status: 'unmapped', mapping, why }
  return { status: problems.length > 0 ? 'mapped, with problems' : 'mapped', mapping, why }
}
