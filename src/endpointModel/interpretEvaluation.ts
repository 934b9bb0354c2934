import type { CompiledEndpoint } from './compileEndpoint'
import { decidedProblem, decisionOf, overriddenDecision } from './decisions'
import type { ExpressionAt } from './endpointProgram'
import { checkField } from './fieldChecks'
import { matched, matchError, notRun } from './matchResult'
import type { JqResult, MatchResult } from './matchResult'
import { itemTypesOf, missingSchemaFields } from './schemas'
import { suggestedMatch, timestampMsOf } from './eventFacts'
import { stoppedProblem } from './runawayMarks'
import type { RunawayMarks } from './runawayMarks'
import type { EventEvaluation, EventProblem, FieldResult, ModelWarningCode } from './types'

/** What the endpoint program's output for one event (see endpointProgram) means: the mapping, fields, problems. */

export type { JqResult, MatchResult } from './matchResult'

export interface RawEvaluation {
  m: MatchResult[]
  i: number | null
  f: JqResult[] | null
  /** Each decision's match result (notForMovableInk), when the endpoint has decisions. */
  x?: MatchResult[]
}

/** Each field's raw jq outputs, which a conversion starts from. */
export const outputsOf = new WeakMap<FieldResult, unknown[]>()

/** The type a matching criterion gave when it was not true: what the studio warns about. */
function nonBooleanType(result: MatchResult | undefined): string | undefined {
  return typeof result === 'object' && result !== null && 't' in result ? result.t : undefined
}

/** The earlier runaway of the expression at `at`, told on this event. */
function earlierRunaway(endpoint: CompiledEndpoint, marks: RunawayMarks | undefined, at: ExpressionAt) {
  const mark = marks?.of(at)
  if (mark) return stoppedProblem(endpoint, mark.stop, mark.at, true)
  const problem: EventProblem = { kind: 'jq-error', message: 'jq did not run it: it ran away on an earlier event' }
  return problem
}

/**
 * Criteria left out for an earlier runaway take no event: with none other taking it, that is the event's
 * problem; when a later mapping takes it, a warning, as the left-out one might have taken it first.
 */
/** A warning and its code, at the same index. */
function warn(evaluation: EventEvaluation, code: ModelWarningCode, text: string): void {
  evaluation.warnings.push(text)
  evaluation.warningCodes.push(code)
}

function notRunMatches(
  endpoint: CompiledEndpoint,
  raw: RawEvaluation,
  evaluation: EventEvaluation,
  marks?: RunawayMarks
) {
  const { mappings } = endpoint.spec
  mappings.forEach((m, mapping) => {
    if (!m.active || !notRun(raw.m[mapping]) || (raw.i !== null && raw.i < mapping)) return
    const problem = earlierRunaway(endpoint, marks, { mapping })
    if (raw.i === null) evaluation.problems.push(problem)
    else
      warn(
        evaluation,
        'match-not-run',
        `${problem.message}; it might have taken this event before "${mappings[raw.i].name}"`
      )
  })
}

function unmappedProblem(endpoint: CompiledEndpoint, raw: RawEvaluation, event: unknown): EventProblem {
  const inactive = endpoint.spec.mappings.findIndex((m, i) => !m.active && matched(raw.m[i]))
  const fix =
    inactive >= 0
      ? `mapping "${endpoint.spec.mappings[inactive].name}" matches but is not active: activate it`
      : `add an event mapping whose match criterion is ${suggestedMatch(event)}`
  return { kind: 'unmapped', message: 'No active event mapping matches this event: Test Mapping would fail', fix }
}

function fieldResults(
  endpoint: CompiledEndpoint,
  raw: RawEvaluation,
  index: number,
  evaluation: EventEvaluation,
  marks?: RunawayMarks
) {
  return endpoint.spec.mappings[index].fields.map((field, f) => {
    const result = raw.f?.[f]
    const { name, path, type, required } = field
    if (result && 'r' in result) {
      const problem = earlierRunaway(endpoint, marks, { mapping: index, field: f })
      evaluation.problems.push({ ...problem, field: field.name })
      return { name, path, type, required, present: false, problem: problem.message }
    }
    if (!result || 'err' in result) {
      const message = result ? result.err : 'no result'
      evaluation.problems.push({
        kind: 'jq-error',
        field: field.name,
        message: `${field.name}: ${field.path} failed: ${message}`
      })
      return { name, path, type, required, present: false, problem: message }
    }
    const checked = checkField(field, result.ok, itemTypesOf(endpoint.spec.mappings[index], field))
    outputsOf.set(checked, result.ok)
    return checked
  })
}

/** `marks`: the runaways the program left out, when it left any out. */
export function interpret(
  endpoint: CompiledEndpoint,
  raw: RawEvaluation,
  event: unknown,
  marks?: RunawayMarks
): EventEvaluation {
  const { mappings } = endpoint.spec
  const evaluation: EventEvaluation = { otherMatches: [], fields: [], problems: [], warnings: [], warningCodes: [] }
  mappings.forEach((m, index) => {
    const result = raw.m[index]
    const error = matchError(result)
    if (m.active && error !== undefined)
      evaluation.problems.push({
        kind: 'jq-error',
        message: `mapping "${m.name}": its match criterion failed: ${error}`
      })
    const type = m.active ? nonBooleanType(result) : undefined
    if (type !== undefined) (evaluation.nonBooleanMatches ??= []).push({ index, type })
    if (!m.active || !matched(result) || index === raw.i) return
    evaluation.otherMatches.push({ index, name: m.name })
  })
  notRunMatches(endpoint, raw, evaluation, marks)
  const index = raw.i
  const { decision, warnings } = decisionOf(endpoint.spec, raw.x, event)
  for (const text of warnings) warn(evaluation, 'decision-criterion-failed', text)
  if (index === null || !mappings[index]) {
    if (decision) {
      evaluation.notForMovableInk = decision
      evaluation.problems.push(decidedProblem(decision))
    } else if (!raw.m.some((result, m) => mappings[m]?.active && notRun(result)))
      evaluation.problems.push(unmappedProblem(endpoint, raw, event))
  } else {
    const mapping = mappings[index]
    evaluation.mapping = { index, name: mapping.name, schema: mapping.schema }
    evaluation.fields = fieldResults(endpoint, raw, index, evaluation, marks)
    const missing = missingSchemaFields(mapping)
    for (const name of missing?.fields ?? [])
      evaluation.problems.push({
        kind: 'missing-required',
        field: name,
        message: `mapping "${mapping.name}" has no field ${name}, which Movable Ink's ${missing?.schema} schema requires: Test Mapping would fail`,
        fix: `add the field ${name} to the mapping`
      })
    for (const other of evaluation.otherMatches)
      warn(
        evaluation,
        'also-matches',
        `also matches mapping "${other.name}"; Movable Ink uses the first active match in file order, "${mapping.name}"`
      )
    if (decision) warn(evaluation, 'decision-overridden', overriddenDecision(decision, mapping.name))
  }
  evaluation.timestampMs = timestampMsOf(evaluation.fields, event)
  return evaluation
}

/** An event jq gave no evaluation for: its one problem says why. */
export function failedEvaluation(problem: EventProblem): EventEvaluation {
  return { otherMatches: [], fields: [], problems: [problem], warnings: [], warningCodes: [] }
}
