import type { EventEvaluation, EventProblem } from '../endpointModel'
import type { PreviewItem } from '../preview/previewTypes'

/**
 * An event's status in one word or two, as the page's badges and the exported report show it: computed here
 * once, sent with each checked item, so the page never decides it again. Problems come before warnings: an
 * event with both is "mapped, with problems".
 */

export type Status =
  | 'malformed'
  | 'not sent'
  | 'refused'
  | 'unmapped'
  | 'mapped, with problems'
  | 'mapped, with warnings'
  | 'not for Movable Ink'
  | 'mapped'

/** Worst first: the order the page's filter and the report list events in. */
export const STATUS_ORDER: Status[] = [
  'malformed',
  'refused',
  'unmapped',
  'mapped, with problems',
  'mapped, with warnings',
  'not for Movable Ink',
  'not sent',
  'mapped'
]

export interface Verdict {
  status: Status
  /** The Movable Ink mapping that takes the event, or ''. */
  mapping: string
  /** Its place in the endpoint's mappings (from 0), when one takes the event. */
  mappingIndex?: number
  /** Why it is not simply mapped: the errors, then the Movable Ink problems with their fixes. */
  why: string
  /** What Movable Ink would accept but may not use as meant: Segment's warnings, Movable Ink's, the studio's. */
  warnings: string[]
}

/** A Movable Ink problem as one line, with its fix when it has one. */
export function problemText(problem: EventProblem): string {
  return problem.message + (problem.fix ? ` (fix: ${problem.fix})` : '')
}

export function movableInkSideOf(item: PreviewItem): EventEvaluation | undefined {
  return item.results.find((r) => r.movableInk)?.movableInk
}

/** `extra`: the studio's own warnings for this event (studioNotes.ts), and hints to add to its problems. */
export function studioVerdict(item: PreviewItem, extra: { warnings?: string[]; hints?: string[] } = {}): Verdict {
  if (item.malformed)
    return { status: item.refused ? 'refused' : 'malformed', mapping: '', why: item.malformed, warnings: [] }
  if (item.results.length === 0)
    return { status: 'not sent', mapping: '', why: 'no subscription matches it', warnings: [] }
  const errors = item.results.flatMap((r) => r.errors)
  const evaluation = movableInkSideOf(item)
  const problems = [...(evaluation?.problems.map(problemText) ?? []), ...(extra.hints ?? [])]
  const warnings = [
    ...item.results.flatMap((r) => r.warnings),
    ...(evaluation?.warnings ?? []),
    ...(extra.warnings ?? [])
  ]
  const why = [...errors, ...problems].join('; ')
  const mapping = evaluation?.mapping?.name ?? ''
  const mappingIndex = evaluation?.mapping?.index
  const base = { mapping, mappingIndex, why, warnings }
  if (errors.length > 0) return { status: 'refused', ...base }
  // Left unmapped on purpose (the endpoint file's notForMovableInk): the decision and its reason, nothing to fix.
  const decided = evaluation?.notForMovableInk && evaluation.problems.find((p) => p.kind === 'not-for-movable-ink')
  if (decided) return { status: 'not for Movable Ink', ...base, why: decided.message }
  if (!mapping) return { status: 'unmapped', ...base }
  if (problems.length > 0) return { status: 'mapped, with problems', ...base }
  return { status: warnings.length > 0 ? 'mapped, with warnings' : 'mapped', ...base }
}
