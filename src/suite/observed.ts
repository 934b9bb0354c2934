import type { EventEvaluation } from '../endpointModel'
import type { PreviewItem } from '../preview/previewTypes'
import type { Expectation, SegmentExpectation } from './suiteTypes'

/**
 * What preview found for one event, in the terms of an expectation: the Segment side's outcome and rules, and
 * Movable Ink's mapping, refusal reasons and field values, with each field's jq path and each problem's words
 * kept for the diff. The 30-day window and the warnings are left out: they depend on the day the test runs.
 */

export interface ObservedField {
  name: string
  path: string
  /** null for no value (jq gave null, or nothing). */
  value: unknown
}

export interface ObservedMovableInk {
  mapping: string | null
  refused: string[]
  /** What Movable Ink's model says of each refusal reason, for the diff. */
  why: Record<string, string>
  fields: ObservedField[]
}

export interface Observed {
  line: number
  event: string
  segment: SegmentExpectation
  /** The destination's words for each rule the event breaks, for the diff. */
  segmentWhy?: Record<string, string>
  /** What Movable Ink makes of the event, when the Segment side sends it. */
  movableInk?: ObservedMovableInk
}

function unique(list: string[]): string[] {
  return [...new Set(list)]
}

/** A problem as an expected file names it: `unmapped`, `missing-required: ID`, `jq-error: Price`. */
export function reasonOf(problem: { kind: string; field?: string }): string {
  return problem.field ? `${problem.kind}: ${problem.field}` : problem.kind
}

function observeMovableInk(evaluation: EventEvaluation): ObservedMovableInk {
  const why: Record<string, string> = {}
  for (const problem of evaluation.problems) {
    const text = problem.fix ? `${problem.message}; fix: ${problem.fix}` : problem.message
    why[reasonOf(problem)] ??= text
  }
  return {
    mapping: evaluation.mapping?.name ?? null,
    refused: unique(evaluation.problems.map(reasonOf)),
    why,
    fields: evaluation.fields.map((f) => ({ name: f.name, path: f.path, value: f.value ?? null }))
  }
}

/** One previewed event (of a suite: one subscription, never malformed) as the suite sees it. */
export function observe(item: PreviewItem): Observed {
  const observed: Observed = { line: item.line, event: item.event ?? 'malformed input', segment: 'not subscribed' }
  const result = item.results[0]
  if (!result) return observed
  if (result.errors.length > 0) {
    const segmentWhy: Record<string, string> = {}
    result.errorRules.forEach((rule, i) => (segmentWhy[rule] ??= result.errors[i]))
    return { ...observed, segment: { refused: unique(result.errorRules) }, segmentWhy }
  }
  observed.segment = 'sent'
  if (result.movableInk) observed.movableInk = observeMovableInk(result.movableInk)
  return observed
}

/** What `--update` writes for an event: everything observed, keys in a fixed order, fields in the mapping's. */
export function expectationOf(observed: Observed): Expectation {
  const expectation: Expectation = { line: observed.line, event: observed.event, segment: observed.segment }
  const side = observed.movableInk
  if (!side) return expectation
  expectation.movableInk = { mapping: side.mapping }
  if (side.refused.length > 0) expectation.movableInk.refused = side.refused
  if (side.mapping !== null)
    expectation.movableInk.fields = Object.fromEntries(side.fields.map((f) => [f.name, f.value]))
  return expectation
}
