import type { CompiledEndpoint } from './compileEndpoint'
import { expressionsProgram } from './endpointProgram'
import { checkField, conversionFor, describeValue, missingItem, wronglyTypedValue } from './fieldChecks'
import { outputsOf } from './interpretEvaluation'
import type { JqResult } from './interpretEvaluation'
import { runJqProgram } from './jq'
import type { JqLimits } from './jq'
import type { EventEvaluation, FieldResult } from './types'

/**
 * For each mistyped field with a known conversion (fieldChecks), the converted path run in jq on the event, and
 * offered as the field's fix only if its result passes; then each field's problem as an event problem.
 */

interface Candidate {
  evaluation: number
  field: FieldResult
  path: string
  what: string
}

function conversionCandidates(endpoint: CompiledEndpoint, evaluations: EventEvaluation[]): Candidate[] {
  const candidates: Candidate[] = []
  evaluations.forEach((evaluation, index) => {
    const mapping = evaluation.mapping ? endpoint.spec.mappings[evaluation.mapping.index] : undefined
    evaluation.fields.forEach((field, f) => {
      const outputs = outputsOf.get(field)
      if (!field.problem || !field.present || !mapping || !outputs) return
      const wrong = wronglyTypedValue(mapping.fields[f], outputs)
      const conversion = wrong === undefined ? undefined : conversionFor(field.path, field.type, wrong)
      if (conversion) candidates.push({ evaluation: index, field, ...conversion })
    })
  })
  return candidates
}

/**
 * Every candidate path in one program (sorted, so the same set of paths is the same program, kept compiled by
 * the engine), over the events that need any of them; each candidate takes its own path's result. A path may so
 * run on an event that no candidate of its needs: its result there is not used.
 */
async function runCandidates(candidates: Candidate[], texts: string[], limits?: JqLimits) {
  const paths = [...new Set(candidates.map((c) => c.path))].sort()
  const events = [...new Set(candidates.map((c) => c.evaluation))]
  const answers = await runJqProgram(
    expressionsProgram(paths),
    events.map((e) => texts[e]),
    limits
  )
  const answerOf = new Map(events.map((e, i) => [e, answers[i]]))
  const pathIndex = new Map(paths.map((path, i) => [path, i]))
  const results = new Map<Candidate, JqResult | undefined>()
  for (const c of candidates) {
    const answer = answerOf.get(c.evaluation)
    const perPath = answer?.kind === 'outputs' ? (answer.outputs[0] as JqResult[] | undefined) : undefined
    results.set(c, perPath?.[pathIndex.get(c.path) ?? -1])
  }
  return results
}

export async function addConversionFixes(
  endpoint: CompiledEndpoint,
  evaluations: EventEvaluation[],
  texts: string[],
  limits?: JqLimits
): Promise<void> {
  const candidates = conversionCandidates(endpoint, evaluations)
  const results =
    candidates.length > 0 ? await runCandidates(candidates, texts, limits) : new Map<Candidate, undefined>()
  for (const candidate of candidates) {
    const result = results.get(candidate)
    if (!result || !('ok' in result)) continue
    const spec = { name: candidate.field.name, path: candidate.path, type: candidate.field.type, required: false }
    if (checkField(spec, result.ok).problem) continue
    const value = result.ok.length === 1 ? result.ok[0] : result.ok
    candidate.field.fix = { path: candidate.path, value, what: candidate.what }
  }
  evaluations.forEach((evaluation) => addFieldProblems(evaluation))
}

function addFieldProblems(evaluation: EventEvaluation): void {
  for (const field of evaluation.fields) {
    if (!field.problem || evaluation.problems.some((p) => p.field === field.name)) continue
    // A required field with an item of no value lacks a value too, though others are present.
    const missing = !field.present || missingItem(field, outputsOf.get(field) ?? []) >= 0
    const kind = missing ? 'missing-required' : 'wrong-type'
    const fix = field.fix
      ? `use the path ${field.fix.path} (${field.fix.what}; jq gives ${describeValue(field.fix.value)})`
      : undefined
    evaluation.problems.push({ kind, field: field.name, message: field.problem, ...(fix ? { fix } : {}) })
  }
}
