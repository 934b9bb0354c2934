import { isObject } from '@segment/actions-core'
import { FIELD_TYPES } from './types'
import type {
  EndpointFieldSpec,
  EndpointProblem,
  EndpointSpec,
  EventMappingSpec,
  FieldType,
  NotForMovableInkSpec
} from './types'

/**
 * The endpoint file's shape, checked before any jq runs: every mistake is reported at once, each with where it
 * is (`mappings[2].fields[1].type`), so a Solutions Architect fixes a file in one pass.
 */

const ENDPOINT_PROPERTIES = ['endpointKey', 'description', 'mappings', 'notForMovableInk']
const MAPPING_PROPERTIES = ['name', 'schema', 'match', 'active', 'description', 'fields']
const FIELD_PROPERTIES = ['name', 'path', 'type', 'required', 'description']
const DECISION_PROPERTIES = ['event', 'match', 'reason']

/** Movable Ink endpoint keys are the last segment of the endpoint's URL. */
const ENDPOINT_KEY = /^[A-Za-z0-9_-]+$/

type Where = Pick<EndpointProblem, 'where' | 'mapping' | 'field' | 'decision'>

class ProblemList {
  readonly problems: EndpointProblem[] = []

  add(at: Where, property: string | undefined, message: string): void {
    const where = property ? `${at.where}.${property}` : at.where
    this.problems.push({ ...at, where: where.replace(/^\./, ''), ...(property ? { property } : {}), message })
  }
}

function closest(name: string, known: string[]): string | undefined {
  const lower = name.toLowerCase()
  return known.find((k) => k.toLowerCase() === lower || k.toLowerCase().startsWith(lower.slice(0, 3)))
}

function checkUnknownProperties(value: Record<string, unknown>, known: string[], at: Where, list: ProblemList): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue
    const guess = closest(key, known)
    list.add(
      at,
      key,
      `unknown property "${key}"${guess ? `: did you mean "${guess}"?` : ''} (allowed: ${known.join(', ')})`
    )
  }
}

function text(value: Record<string, unknown>, property: string, at: Where, list: ProblemList): string {
  const given = value[property]
  if (typeof given === 'string' && given.trim() !== '') return given
  list.add(at, property, given === undefined ? 'is missing: give a non-empty string' : 'must be a non-empty string')
  return ''
}

function flag(value: Record<string, unknown>, property: string, fallback: boolean, at: Where, list: ProblemList) {
  const given = value[property]
  if (given === undefined) return fallback
  if (typeof given === 'boolean') return given
  list.add(at, property, `must be true or false, not ${JSON.stringify(given)}`)
  return fallback
}

function optionalText(value: Record<string, unknown>, at: Where, list: ProblemList): string | undefined {
  const given = value.description
  if (given === undefined || typeof given === 'string') return given
  list.add(at, 'description', 'must be a string')
  return undefined
}

function fieldType(value: Record<string, unknown>, at: Where, list: ProblemList): FieldType {
  const given = value.type
  if (given === undefined) return 'any'
  if (FIELD_TYPES.includes(given as FieldType)) return given as FieldType
  list.add(at, 'type', `${JSON.stringify(given)} is not a field type: use one of ${FIELD_TYPES.join(', ')}`)
  return 'any'
}

function readField(value: unknown, at: Where, list: ProblemList): EndpointFieldSpec {
  if (!isObject(value)) {
    list.add(at, undefined, 'must be an object such as {"name": "UserID", "path": ".userId", "type": "string"}')
    return { name: '', path: '', type: 'any', required: false }
  }
  checkUnknownProperties(value, FIELD_PROPERTIES, at, list)
  const field: EndpointFieldSpec = {
    name: text(value, 'name', at, list),
    path: text(value, 'path', at, list),
    type: fieldType(value, at, list),
    required: flag(value, 'required', false, at, list)
  }
  const description = optionalText(value, at, list)
  return description === undefined ? field : { ...field, description }
}

function readFields(value: Record<string, unknown>, mapping: number, at: Where, list: ProblemList) {
  if (!Array.isArray(value.fields) || value.fields.length === 0) {
    list.add(at, 'fields', 'must be a non-empty array of schema fields, each {"name", "path", "type", "required"}')
    return []
  }
  const fields = value.fields.map((f, field) =>
    readField(f, { where: `${at.where}.fields[${field}]`, mapping, field }, list)
  )
  fields.forEach((f, field) => {
    if (f.name && fields.findIndex((other) => other.name === f.name) < field)
      list.add(
        { where: `${at.where}.fields[${field}]`, mapping, field },
        'name',
        `"${f.name}" is already a field of this mapping`
      )
  })
  return fields
}

function readMapping(value: unknown, mapping: number, list: ProblemList): EventMappingSpec {
  const at: Where = { where: `mappings[${mapping}]`, mapping }
  if (!isObject(value)) {
    list.add(at, undefined, 'must be an object with name, schema, match, active and fields')
    return { name: '', schema: '', match: '', active: false, fields: [] }
  }
  checkUnknownProperties(value, MAPPING_PROPERTIES, at, list)
  const spec: EventMappingSpec = {
    name: text(value, 'name', at, list),
    schema: text(value, 'schema', at, list),
    match: text(value, 'match', at, list),
    active: flag(value, 'active', true, at, list),
    fields: readFields(value, mapping, at, list)
  }
  const description = optionalText(value, at, list)
  return description === undefined ? spec : { ...spec, description }
}

const DECISION_EXAMPLE = '{"event": "Cart Viewed", "reason": "not used in campaigns"}'

function readDecision(value: unknown, decision: number, list: ProblemList): NotForMovableInkSpec {
  const at: Where = { where: `notForMovableInk[${decision}]`, decision }
  if (!isObject(value)) {
    list.add(at, undefined, `must be an object such as ${DECISION_EXAMPLE}`)
    return { reason: '' }
  }
  checkUnknownProperties(value, DECISION_PROPERTIES, at, list)
  const reason = text(value, 'reason', at, list)
  const given = (['event', 'match'] as const).filter((key) => value[key] !== undefined)
  if (given.length !== 1) {
    list.add(at, undefined, 'give either "event" (an event name) or "match" (a jq match criterion), not both')
    return { reason }
  }
  return { [given[0]]: text(value, given[0], at, list), reason }
}

/** `notForMovableInk`: events left unmapped on purpose, each by name or by match criterion, with the reason. */
function readDecisions(value: Record<string, unknown>, list: ProblemList): NotForMovableInkSpec[] | undefined {
  const given = value.notForMovableInk
  if (given === undefined) return undefined
  if (!Array.isArray(given)) {
    list.add({ where: '' }, 'notForMovableInk', `must be an array of decisions such as ${DECISION_EXAMPLE}`)
    return undefined
  }
  const decisions = given.map((d, i) => readDecision(d, i, list))
  decisions.forEach((d, i) => {
    if (d.event !== undefined && decisions.findIndex((other) => other.event === d.event) < i)
      list.add({ where: `notForMovableInk[${i}]`, decision: i }, 'event', `"${d.event}" is already decided above`)
  })
  return decisions
}

/** Reads an endpoint file's parsed JSON into an EndpointSpec, with every structural mistake found. */
export function readEndpointSpec(value: unknown): { spec: EndpointSpec; problems: EndpointProblem[] } {
  const list = new ProblemList()
  const top: Where = { where: '' }
  if (!isObject(value)) {
    list.add({ where: '(file)' }, undefined, 'must be a JSON object with "endpointKey" and "mappings"')
    return { spec: { endpointKey: '', mappings: [] }, problems: list.problems }
  }
  checkUnknownProperties(value, ENDPOINT_PROPERTIES, top, list)
  const endpointKey = text(value, 'endpointKey', top, list)
  if (endpointKey && !ENDPOINT_KEY.test(endpointKey))
    list.add(top, 'endpointKey', `"${endpointKey}" can hold only letters, digits, - and _ (it ends the endpoint URL)`)
  let mappings: EventMappingSpec[] = []
  if (Array.isArray(value.mappings)) mappings = value.mappings.map((m, i) => readMapping(m, i, list))
  else list.add(top, 'mappings', 'must be an array of event mappings (it may be empty)')
  mappings.forEach((m, i) => {
    if (m.name && mappings.findIndex((other) => other.name === m.name) < i)
      list.add({ where: `mappings[${i}]`, mapping: i }, 'name', `"${m.name}" is already the name of another mapping`)
  })
  const description = optionalText(value, top, list)
  const notForMovableInk = readDecisions(value, list)
  const spec: EndpointSpec = {
    endpointKey,
    mappings,
    ...(description === undefined ? {} : { description }),
    ...(notForMovableInk === undefined ? {} : { notForMovableInk })
  }
  return { spec, problems: list.problems }
}
