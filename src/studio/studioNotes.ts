import { PREDEFINED_SCHEMAS } from '../endpointModel'
import type { EndpointProblem, EndpointSpec, EventEvaluation } from '../endpointModel'
import { describeMembership, engageMembership } from '../events/engage'

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

export const SCHEMA_NAMES = [...Object.keys(PREDEFINED_SCHEMAS), 'Custom']

/** The predefined schema a name means (case aside), 'Custom', or undefined for a name Movable Ink does not have. */
export function knownSchema(name: string): string | undefined {
  return SCHEMA_NAMES.find((s) => s.toLowerCase() === name.trim().toLowerCase())
}

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
    if (hasLoneEquals(m.match))
      notes.push(
        `${where}: the match criterion uses "=", which in jq assigns (the result is the whole event, so it matches everything): compare with "==".`
      )
  })
  return notes
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/
const PHONE = [/^\+\d[\d\s().-]{6,}$/, /^\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}$/]

/** Why a user id looks like personal data, or undefined. */
export function personalDataIn(userId: unknown): string | undefined {
  if (typeof userId !== 'string') return undefined
  const text = userId.trim()
  if (EMAIL.test(text)) return 'an e-mail address'
  if (PHONE.some((p) => p.test(text))) return 'a phone number'
  return undefined
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

/** A mapping that names this event but for case or spacing: "Product viewed" for "Product Viewed". */
export function nearMiss(name: string, spec: EndpointSpec): string | undefined {
  for (const [i, m] of spec.mappings.entries()) {
    if (!m.active) continue
    const close = literals(m.match).find((l) => l !== name && loose(l) === loose(name))
    if (close)
      return `Mapping ${i + 1} "${
        m.name
      }" expects "${close}", and this event is "${name}": Movable Ink compares names exactly (case and spacing too). Fix the name in the source, or add "${name}" to that match criterion.`
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
  for (const { index: i, type } of evaluation.nonBooleanMatches ?? []) {
    const m = spec.mappings[i]
    if (m)
      notes.warnings.push(
        `Mapping ${i + 1} "${m.name}": its match criterion gives ${
          type === 'null' ? 'null' : `a ${type}`
        }, not true or false, and counts as a match; compare with == (e.g. ${
          m.match.trim().startsWith('.') ? `${m.match.trim()} == "…"` : '.event == "…"'
        }).`
      )
  }
  const mapping = evaluation.mapping ? spec.mappings[evaluation.mapping.index] : undefined
  if (mapping && evaluation.mapping && !knownSchema(mapping.schema))
    notes.warnings.push(
      `Mapping ${evaluation.mapping.index + 1} "${mapping.name}" has schema "${
        mapping.schema
      }", which Movable Ink does not predefine: it would be a Custom schema.`
    )
  const mappedUser = evaluation.fields.find((f) => f.name.toLowerCase() === 'userid')?.value
  const personal = personalDataIn(event.userId) ?? personalDataIn(mappedUser)
  if (personal)
    notes.warnings.push(
      `The userId looks like ${personal}: Movable Ink asks for a stable id such as a UUID, not personal data; send the user's id from your database instead.`
    )
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
