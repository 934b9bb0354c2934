import type { CompiledEndpoint } from './compileEndpoint'
import { checkField } from './fieldChecks'
import { suggestedMatch, timestampMsOf } from './eventFacts'
import type { EventEvaluation, EventProblem, FieldResult } from './types'

/** What the endpoint program's output for one event (see endpointProgram) means: the mapping, fields, problems. */

export type JqResult = { ok: unknown[] } | { err: string }

/** A match criterion's verdict: whether it holds (a first output of another type than boolean: `t`), or jq's error. */
export type MatchResult = boolean | { t: string } | { err: string }

export interface RawEvaluation {
  m: MatchResult[]
  i: number | null
  f: JqResult[] | null
}

/** Each field's raw jq outputs, which a conversion starts from. */
export const outputsOf = new WeakMap<FieldResult, unknown[]>()

function matched(result: MatchResult | undefined): boolean {
  return result === true || (typeof result === 'object' && result !== null && 't' in result)
}

function matchError(result: MatchResult | undefined): string | undefined {
  return typeof result === 'object' && result !== null && 'err' in result ? result.err : undefined
}

/** The type a matching criterion gave when it was not true: what the studio warns about. */
function nonBooleanType(result: MatchResult | undefined): string | undefined {
  return typeof result === 'object' && result !== null && 't' in result ? result.t : undefined
}

function unmappedProblem(endpoint: CompiledEndpoint, raw: RawEvaluation, event: unknown): EventProblem {
  const inactive = endpoint.spec.mappings.findIndex((m, i) => !m.active && matched(raw.m[i]))
  const fix =
    inactive >= 0
      ? `mapping "${endpoint.spec.mappings[inactive].name}" matches but is not active: activate it`
      : `add an event mapping whose match criterion is ${suggestedMatch(event)}`
  return { kind: 'unmapped', message: 'No active event mapping matches this event: Test Mapping would fail', fix }
}

function fieldResults(endpoint: CompiledEndpoint, raw: RawEvaluation, index: number, evaluation: EventEvaluation) {
  return endpoint.spec.mappings[index].fields.map((field, f) => {
    const result = raw.f?.[f]
    if (!result || 'err' in result) {
      const message = result ? result.err : 'no result'
      evaluation.problems.push({
        kind: 'jq-error',
        field: field.name,
        message: `${field.name}: ${field.path} failed: ${message}`
      })
      const { name, path, type, required } = field
      return { name, path, type, required, present: false, problem: message }
    }
    const checked = checkField(field, result.ok)
    outputsOf.set(checked, result.ok)
    return checked
  })
}

export function interpret(endpoint: CompiledEndpoint, raw: RawEvaluation, event: unknown): EventEvaluation {
  const { mappings } = endpoint.spec
  const evaluation: EventEvaluation = { otherMatches: [], fields: [], problems: [], warnings: [] }
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
  const index = raw.i
  if (index === null || !mappings[index]) {
    evaluation.problems.push(unmappedProblem(endpoint, raw, event))
  } else {
    const mapping = mappings[index]
    evaluation.mapping = { index, name: mapping.name, schema: mapping.schema }
    evaluation.fields = fieldResults(endpoint, raw, index, evaluation)
    for (const other of evaluation.otherMatches)
      evaluation.warnings.push(
        `also matches mapping "${other.name}"; Movable Ink uses the first active match in file order, "${mapping.name}"`
      )
  }
  evaluation.timestampMs = timestampMsOf(evaluation.fields, event)
  return evaluation
}

/** An event jq gave no evaluation for: its one problem says why. */
export function failedEvaluation(problem: EventProblem): EventEvaluation {
  return { otherMatches: [], fields: [], problems: [problem], warnings: [] }
}
