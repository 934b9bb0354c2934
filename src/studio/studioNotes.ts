import { PREDEFINED_SCHEMAS } from '../endpointModel'
import type { EndpointProblem, EndpointSpec, EventEvaluation } from '../endpointModel'
import { describeMembership, engageMembership } from '../events/engage'
import { knownSchema, mappingWarnings, SCHEMA_NAMES } from '../preview/mappingWarnings'

/**
 * What the studio adds to the endpoint model's findings, computed from the evaluation results and the mappings
 * (never by evaluating anything itself): messages numbered as the page numbers mappings and fields (from 1),
 * plain hints for common jq slips, warnings Movable Ink would not refuse an event for but that make it less
 * useful, and near-miss event names.
 */

/** `mappings[10].fields[0].path` as the page says it: `mapping 11, field 1 (path)`. */
export function pageNumbered(text: string): string {
  return text
    .replace(
      /mappings\[(\d+)\]\.fields\[(\d+)\](?:\.(\w+))?/g,
      (_all, m: string, f: string, p?: string) =>
        `mapping ${Number(m) + 1}, field ${Number(f) + 1}${p ? ` (${p})` : ''}`
    )
    .replace(
      /mappings\[(\d+)\](?:\.(\w+))?/g,
      (_all, m: string, p?: string) => `mapping ${Number(m) + 1}${p ? ` (${p})` : ''}`
    )
}

/** A single `=` (jq's assignment), not part of `==`, `!=`, `<=`, `>=`, `|=`, `+=` and the like, outside strings. */
export function hasLoneEquals(expression: string): boolean {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""')
  return /(^|[^=!<>|+\-*/%/])=($|[^=])/.test(code)
}

/** A plain hint for a jq expression that does not compile, when the slip is a common one. */
export function jqSlipHint(expression: string): string | undefined {
  if (/\|\s*$/.test(expression)) return 'It ends with "|": remove it, or add what should follow it.'
  if (hasLoneEquals(expression))
    return 'jq compares with "==" (a single "=" assigns): write, for example, .event == "Order Completed".'
  if (((expression.replace(/\\./g, '').match(/"/g) ?? []).length & 1) === 1)
    return 'A string is not closed: every " needs its closing ".'
  return undefined
}

export interface PageProblem extends EndpointProblem {
  /** Where it is, numbered as the page numbers mappings and fields. */
  shownWhere: string
  hint?: string
}

/** The endpoint model's problems with the mappings, as the page shows them. */
export function pageProblems(problems: EndpointProblem[], spec: unknown): PageProblem[] {
  const mappings = isSpecLike(spec) ? spec.mappings : []
  return problems.map((p) => {
    const mapping = p.mapping === undefined ? undefined : mappings[p.mapping]
    const expression =
      p.property === 'match'
        ? mapping?.match
        : p.property === 'path' && p.field !== undefined
        ? mapping?.fields?.[p.field]?.path
        : undefined
    const hint = typeof expression === 'string' && p.jq === 'syntax' ? jqSlipHint(expression) : undefined
    const named = p.mappingName ? ` "${p.mappingName}"` : ''
    return {
      ...p,
      message: pageNumbered(p.message),
      shownWhere: pageNumbered(p.where) + (p.mapping !== undefined ? named : ''),
      ...(hint ? { hint } : {})
    }
  })
}

function isSpecLike(spec: unknown): spec is { mappings: Partial<EndpointSpec['mappings'][number]>[] } {
  return Boolean(spec) && typeof spec === 'object' && Array.isArray((spec as { mappings?: unknown }).mappings)
}

export { SCHEMA_NAMES, knownSchema }

/** Warnings about the mappings themselves, numbered as the page numbers them. */
export function endpointNotes(spec: EndpointSpec): string[] {
  const notes: string[] = []
  spec.mappings.forEach((m, i) => {
    const where = `Mapping ${i + 1} "${m.name}"`
    if (!knownSchema(m.schema))
      notes.push(
        `${where}: schema "${m.schema}" is not one of Movable Ink's predefined schemas (${Object.keys(
          PREDEFINED_SCHEMAS
        ).join(', ')}), so it would be a Custom schema: pick one from the schema list, or Custom.`
      )
  })
  return notes
}

/** A warning that belongs beside one box of one mapping (the page shows it there, not at the top). */
export interface BoxNote {
  mapping: number
  property: 'match'
  message: string
}

/**
 * What a lone "=" does in jq: it assigns. The criterion then gives the event itself, changed (an object, which
 * counts as a match for every event), or, depending on where it stands, makes jq fail on every event.
 */
const LONE_EQUALS =
  'A single "=" assigns in jq, it does not compare: the criterion gives the event itself, changed (an object, which counts as a match for every event), or makes jq fail on every event. Compare with "==".'

export function boxNotes(spec: EndpointSpec): BoxNote[] {
  return spec.mappings.flatMap((m, mapping) =>
    hasLoneEquals(m.match) ? [{ mapping, property: 'match' as const, message: LONE_EQUALS }] : []
  )
}

/** The string literals of a jq expression (the event names a match criterion compares with). */
function literals(expression: string): string[] {
  return [...expression.matchAll(/"((?:[^"\\]|\\.)*)"/g)].flatMap((m) => {
    try {
      return [JSON.parse(`"${m[1]}"`) as string]
    } catch {
      return []
    }
  })
}

const loose = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '')

/** Levenshtein's distance, stopping early: only "at most `limit`" matters. */
function withinEdits(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false
  let row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    if (Math.min(...next) > limit) return false
    row = next
  }
  return row[b.length] <= limit
}

/** Names alike but for case, spacing, or a slip of one or two letters ("Order Complete"), in names long enough to tell. */
function alike(a: string, b: string): boolean {
  const [x, y] = [loose(a), loose(b)]
  return x === y || (Math.min(x.length, y.length) >= 6 && withinEdits(x, y, 2))
}

/** A mapping that names this event but for case, spacing or a letter or two: "Product viewed", "Order Complete". */
export function nearMiss(name: string, spec: EndpointSpec): string | undefined {
  for (const [i, m] of spec.mappings.entries()) {
    if (!m.active) continue
    const close = literals(m.match).find((l) => l !== name && alike(l, name))
    if (close)
      return `Mapping ${i + 1} "${
        m.name
      }" expects "${close}", and this event is "${name}": Movable Ink compares names exactly (every letter, case and spacing too). Fix the name in the source, or add "${name}" to that match criterion.`
  }
  return undefined
}

/** A hint for one field of the mapping that takes an event, with a path to use when there is one. */
export interface FieldHint {
  field: string
  text: string
  path?: string
}

export interface EventNotes {
  warnings: string[]
  hints: string[]
  fieldHints: FieldHint[]
}

/** The studio's notes on one event: `received` is what Movable Ink would receive. */
export function eventNotes(received: unknown, evaluation: EventEvaluation | undefined, spec: EndpointSpec): EventNotes {
  const notes: EventNotes = { warnings: [], hints: [], fieldHints: [] }
  const event = received && typeof received === 'object' ? (received as Record<string, unknown>) : {}
  const engage = engageMembership(event)
  if (engage) notes.hints.push(describeMembership(engage))
  if (!evaluation) return notes
  notes.warnings.push(...mappingWarnings(received, evaluation, spec).map((w) => w.text))
  const name = typeof event.event === 'string' ? event.event : typeof event.name === 'string' ? event.name : undefined
  if (!evaluation.mapping && name) {
    const near = nearMiss(name, spec)
    if (near) notes.hints.push(near)
  }
  const anonymous = evaluation.fields.find((f) => f.name.toLowerCase() === 'anonymousid')
  if (anonymous?.problem && !anonymous.present && event.type === 'identify' && typeof event.userId === 'string')
    notes.fieldHints.push({
      field: anonymous.name,
      text: 'Server-side identify calls often carry only a userId. Send an anonymousId from the source, or use the userId in its place when there is none:',
      path: '.anonymousId // .userId'
    })
  return notes
}
