import { PREDEFINED_SCHEMAS } from '../endpointModel'
import type { EndpointSpec, EventEvaluation } from '../endpointModel'
import type { CodedWarning } from './warningCodes'

/**
 * Warnings about what Movable Ink's event mappings make of one event, computed from the evaluation and the
 * mappings (never by evaluating anything again): preview, the studio and `test --coverage` all give these,
 * so the three never disagree about an event.
 */

export const SCHEMA_NAMES = [...Object.keys(PREDEFINED_SCHEMAS), 'Custom']

/** The predefined schema a name means (case aside), 'Custom', or undefined for a name Movable Ink does not have. */
export function knownSchema(name: string): string | undefined {
  return SCHEMA_NAMES.find((s) => s.toLowerCase() === name.trim().toLowerCase())
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

function nonBooleanMatches(evaluation: EventEvaluation, spec: EndpointSpec): CodedWarning[] {
  return (evaluation.nonBooleanMatches ?? []).flatMap(({ index: i, type }) => {
    const m = spec.mappings[i]
    if (!m) return []
    const gives = type === 'null' ? 'null' : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`
    const example = m.match.trim().startsWith('.') ? `${m.match.trim()} == "…"` : '.event == "…"'
    return [
      {
        code: 'non-boolean-match' as const,
        text: `Mapping ${i + 1} "${
          m.name
        }": its match criterion gives ${gives}, not true or false, and counts as a match; compare with == (e.g. ${example}).`
      }
    ]
  })
}

/** The warnings on one event: `received` is what Movable Ink would receive, `evaluation` what its mappings make of it. */
export function mappingWarnings(received: unknown, evaluation: EventEvaluation, spec: EndpointSpec): CodedWarning[] {
  const warnings = nonBooleanMatches(evaluation, spec)
  const event = received && typeof received === 'object' ? (received as Record<string, unknown>) : {}
  const taken = evaluation.mapping
  const mapping = taken ? spec.mappings[taken.index] : undefined
  if (taken && mapping && !knownSchema(mapping.schema))
    warnings.push({
      code: 'unknown-schema',
      text: `Mapping ${taken.index + 1} "${mapping.name}" has schema "${
        mapping.schema
      }", which Movable Ink does not predefine: it would be a Custom schema.`
    })
  const mappedUser = evaluation.fields.find((f) => f.name.toLowerCase() === 'userid')?.value
  const personal = personalDataIn(event.userId) ?? personalDataIn(mappedUser)
  if (personal)
    warnings.push({
      code: 'personal-user-id',
      text: `The userId looks like ${personal}: Movable Ink asks for a stable id such as a UUID, not personal data; send the user's id from your database instead.`
    })
  return warnings
}
