import type { CompiledEndpoint } from './compileEndpoint'
import { endpointProgram, expressionsProgram } from './endpointProgram'
import { checkField, conversionFor, describeValue, wronglyTypedValue } from './fieldChecks'
import { runJq } from './jq'
import { suggestedMatch, timestampMsOf } from './eventFacts'
import type { EventEvaluation, EventProblem, FieldResult } from './types'

/**
 * What Movable Ink makes of events (the JSON it receives: one request body, or one element of a batch):
 * which mapping takes each, its schema fields' values, and what is wrong. One jq run for many events, so jq
 * compiles the endpoint's expressions once per call. Never throws: a jq failure is a problem on that event.
 */

/** Each field's raw jq outputs, which a conversion starts from. */
const outputsOf = new WeakMap<FieldResult, unknown[]>()

type JqResult = { ok: unknown[] } | { err: string }
interface RawEvaluation {
  m: JqResult[]
  i: number | null
  f: JqResult[] | null
}

function matched(result: JqResult | undefined): boolean {
  if (!result || !('ok' in result) || result.ok.length === 0) return false
  return result.ok[0] !== false && result.ok[0] !== null
}

function unmappedProblem(endpoint: CompiledEndpoint, raw: RawEvaluation, event: unknown): EventProblem {
  const inactive = endpoint.spec.mappings.findIndex((m, i) => !m.active && matched(raw.m[i]))
  const fix =
    inactive >= 0
      ? `mapping "${endpoint.spec.mappings[inactive].name}" matches but is not active: activate it`
      : `add an event mapping whose match criterion is ${suggestedMatch(event)}`
  return { kind: 'unmapped', message: 'No active event mapping matches this event: Test Mapping would fail', fix }
}

function interpret(endpoint: CompiledEndpoint, raw: RawEvaluation, event: unknown): EventEvaluation {
  const { mappings } = endpoint.spec
  const evaluation: EventEvaluation = { otherMatches: [], fields: [], problems: [], warnings: [] }
  mappings.forEach((m, index) => {
    const result = raw.m[index]
    if (m.active && result && 'err' in result)
      evaluation.problems.push({
        kind: 'jq-error',
        message: `mapping "${m.name}": its match criterion failed: ${result.err}`
      })
    if (!m.active || !matched(result) || index === raw.i) return
    evaluation.otherMatches.push({ index, name: m.name })
  })
  const index = raw.i
  if (index === null || !mappings[index]) {
    evaluation.problems.push(unmappedProblem(endpoint, raw, event))
  } else {
    const mapping = mappings[index]
    evaluation.mapping = { index, name: mapping.name, schema: mapping.schema }
    evaluation.fields = mapping.fields.map((field, f) => {
      const result = raw.f?.[f]
      if (!result || 'err' in result) {
        const message = result ? result.err : 'no result'
        evaluation.problems.push({
          kind: 'jq-error',
          field: field.name,
          message: `${field.name}: ${field.path} failed: ${message}`
        })
        return {
          name: field.name,
          path: field.path,
          type: field.type,
          required: field.required,
          present: false,
          problem: message
        }
      }
      const checked = checkField(field, result.ok)
      outputsOf.set(checked, result.ok)
      return checked
    })
    for (const other of evaluation.otherMatches)
      evaluation.warnings.push(
        `also matches mapping "${other.name}"; Movable Ink uses the first active match in file order, "${mapping.name}"`
      )
  }
  evaluation.timestampMs = timestampMsOf(evaluation.fields, event)
  return evaluation
}

function failedEvaluation(message: string): EventEvaluation {
  return {
    otherMatches: [],
    fields: [],
    problems: [{ kind: 'jq-error', message: `jq could not evaluate this event: ${message}` }],
    warnings: []
  }
}

async function runEndpoint(endpoint: CompiledEndpoint, texts: string[]): Promise<(RawEvaluation | string)[]> {
  try {
    const lines = await runJq(endpoint.program || endpointProgram(endpoint.spec), texts)
    if (lines.length !== texts.length) throw new Error(`jq gave ${lines.length} results for ${texts.length} events`)
    return lines.map((line) => JSON.parse(line) as RawEvaluation)
  } catch (error) {
    if (texts.length === 1) return [(error as Error).message]
    return (await Promise.all(texts.map((text) => runEndpoint(endpoint, [text])))).flat()
  }
}

export async function evaluateEvents(endpoint: CompiledEndpoint, events: unknown[]): Promise<EventEvaluation[]> {
  if (events.length === 0) return []
  const texts = events.map((event) => JSON.stringify(event) ?? 'null')
  const raws = await runEndpoint(endpoint, texts)
  const evaluations = raws.map((raw, i) =>
    typeof raw === 'string' ? failedEvaluation(raw) : interpret(endpoint, raw, events[i])
  )
  await addConversionFixes(endpoint, evaluations, texts)
  return evaluations
}

export async function evaluateEvent(endpoint: CompiledEndpoint, event: unknown): Promise<EventEvaluation> {
  return (await evaluateEvents(endpoint, [event]))[0]
}

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

/** Runs each candidate path in jq over the events that need it (one jq run per distinct path). */
async function runCandidates(candidates: Candidate[], texts: string[]): Promise<Map<Candidate, JqResult | undefined>> {
  const byPath = new Map<string, Candidate[]>()
  for (const c of candidates) byPath.set(c.path, [...(byPath.get(c.path) ?? []), c])
  const results = new Map<Candidate, JqResult | undefined>()
  for (const [path, group] of byPath) {
    let lines: string[] = []
    try {
      lines = await runJq(
        expressionsProgram([path]),
        group.map((c) => texts[c.evaluation])
      )
    } catch {
      lines = []
    }
    group.forEach((c, i) => results.set(c, lines[i] ? (JSON.parse(lines[i]) as JqResult[])[0] : undefined))
  }
  return results
}

/** For each mistyped field with a known conversion, runs the converted path in jq and offers it if it passes. */
async function addConversionFixes(endpoint: CompiledEndpoint, evaluations: EventEvaluation[], texts: string[]) {
  const candidates = conversionCandidates(endpoint, evaluations)
  const results = await runCandidates(candidates, texts)
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
    const kind = field.present ? 'wrong-type' : 'missing-required'
    const fix = field.fix
      ? `use the path ${field.fix.path} (${field.fix.what}; jq gives ${describeValue(field.fix.value)})`
      : undefined
    evaluation.problems.push({ kind, field: field.name, message: field.problem, ...(fix ? { fix } : {}) })
  }
}
