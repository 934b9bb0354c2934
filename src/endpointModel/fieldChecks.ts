import { isObject } from '@segment/actions-core'
import { isAbsentId } from '../destinations/movable-ink/absentId'
import type { ItemTypes } from './schemas'
import type { EndpointFieldSpec, FieldResult, FieldType } from './types'

/**
 * What a field's jq outputs mean: present or missing, the right type or not, and (where the fix is known) a
 * changed jq path that would give the right type. A candidate path is only offered after jq has run it on the
 * event and its result passes (see evaluateEvent).
 */

/**
 * jq for Segment's ISO 8601 UTC timestamps ("2025-01-15T10:00:00.123Z") to Unix milliseconds, keeping the ms.
 * String slices rather than regular expressions: jq's regex builtins cost about 0.4 ms per call here, and the
 * default endpoint file runs this for every event. A value that is not a string (none, or already a number)
 * passes through; a timestamp with an offset instead of "Z" is an error, never a wrong number.
 */
export const ISO_TO_UNIX_MS =
  'if type != "string" then . elif endswith("Z") then (.[0:19] + "Z" | fromdateiso8601) * 1000 + (if .[19:20] == "." then (.[20:-1] + "00")[0:3] | tonumber else 0 end) else error("\\(tojson) is not an ISO 8601 UTC timestamp (…Z)") end'

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/
const NUMERIC = /^-?\d+(\.\d+)?$/

const TYPE_WORDS: Record<FieldType, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  any: 'any value'
}

export function hasType(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string'
    case 'number':
      return typeof value === 'number'
    case 'integer':
      return Number.isInteger(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'array':
      return Array.isArray(value)
    case 'object':
      return isObject(value)
    default:
      return true
  }
}

export function describeValue(value: unknown): string {
  const shown = JSON.stringify(value) ?? String(value)
  const short = shown.length > 60 ? `${shown.slice(0, 57)}…` : shown
  if (Array.isArray(value)) return `an array ${short}`
  if (isObject(value)) return `an object ${short}`
  return `the ${typeof value} ${short}`
}

function piped(path: string, step: string): string {
  return /[|,]/.test(path) ? `(${path}) | ${step}` : `${path} | ${step}`
}

/** A jq path that would turn `value` into `type`, when the conversion is a known one. */
export function conversionFor(
  path: string,
  type: FieldType,
  value: unknown
): { path: string; what: string } | undefined {
  if ((type === 'number' || type === 'integer') && typeof value === 'string') {
    if (ISO_UTC.test(value))
      return { path: piped(path, ISO_TO_UNIX_MS), what: 'converts the ISO 8601 timestamp to Unix milliseconds' }
    if (NUMERIC.test(value)) return { path: piped(path, 'tonumber'), what: 'converts the text to a number' }
  }
  if (type === 'string' && (typeof value === 'number' || typeof value === 'boolean'))
    return { path: piped(path, 'tostring'), what: 'converts the value to text' }
  if (type === 'array' && value !== null && !Array.isArray(value))
    return { path: `[${path}]`, what: 'wraps the value in an array' }
  return undefined
}

/** Movable Ink's identity fields (lower case), whose values follow the destination's rule of an absent id. */
const ID_FIELDS = new Set(['userid', 'anonymousid'])

/** Whether one output is no value: null, or for an identity field an absent id ("" as well), as the destination counts it. */
function isNoValue(field: Pick<EndpointFieldSpec, 'name'>, value: unknown): boolean {
  return value === null || (ID_FIELDS.has(field.name.toLowerCase()) && isAbsentId(value))
}

/** The items of an array field's value: its one array, or its outputs when the path gave several. */
function itemsOf(outputs: unknown[]): unknown[] {
  if (outputs.length > 1) return outputs
  return Array.isArray(outputs[0]) ? outputs[0] : []
}

/** The first key of an item whose value has the wrong type, as a problem of the array field. */
function wrongItemProblem(field: EndpointFieldSpec, outputs: unknown[], types: ItemTypes): string | undefined {
  for (const [i, item] of itemsOf(outputs).entries()) {
    if (!isObject(item)) continue
    for (const [key, value] of Object.entries(item)) {
      const type = types.get(key.toLowerCase())
      if (type && value !== null && value !== undefined && !hasType(value, type))
        return `${field.name}: item ${i + 1}'s ${key} should be ${TYPE_WORDS[type]}, but ${
          field.path
        } gives ${describeValue(value)}`
    }
  }
  return undefined
}

/**
 * For a required field whose path gives one value per item: the first item with none (from 0), else -1. Such a
 * field lacks a value, as one with no output at all does: its problem is missing-required, not a wrong type.
 */
export function missingItem(field: Pick<EndpointFieldSpec, 'name' | 'required'>, outputs: unknown[]): number {
  return field.required && outputs.length > 1 ? outputs.findIndex((v) => isNoValue(field, v)) : -1
}

/**
 * The outputs of a field's path checked against the field: several outputs are one value per item. `itemTypes`:
 * what the keys of an array field's items must be (schemas.ts, itemTypesOf), checked like the field's own type.
 */
export function checkField(field: EndpointFieldSpec, outputs: unknown[], itemTypes?: ItemTypes): FieldResult {
  // Built property by property: copying the field and deleting its description turned each result into a slow
  // dictionary object, some 6% of a stand-in request.
  const { name, path, type, required } = field
  const result: FieldResult = { name, path, type, required, present: outputs.some((v) => !isNoValue(field, v)) }
  if (outputs.length === 1) result.value = outputs[0]
  else if (outputs.length > 1) result.value = outputs
  const missing = missingItem(field, outputs)
  if (field.required && !result.present) {
    const blank = outputs.some((v) => v !== null)
      ? ' (a blank id is no id: the destination counts it as absent too)'
      : ''
    result.problem = `${field.name} is required, but ${field.path} gives no value for this event${blank}`
  } else if (missing >= 0) {
    result.problem = `${field.name} is required, but ${field.path} gives null for item ${missing + 1} of ${
      outputs.length
    }`
  } else {
    const wrong = wronglyTypedValue(field, outputs)
    if (wrong !== undefined)
      result.problem = `${field.name} should be ${TYPE_WORDS[field.type]}, but ${field.path} gives ${describeValue(
        wrong
      )}`
    else if (itemTypes) {
      const item = wrongItemProblem(field, outputs, itemTypes)
      if (item) result.problem = item
    }
  }
  return result
}

/** The first value of a field with the wrong type: what a conversion would start from. */
export function wronglyTypedValue(field: EndpointFieldSpec, outputs: unknown[]): unknown {
  const items = field.type === 'array' && outputs.length > 1 ? [outputs] : outputs
  return items.find((v) => v !== null && !hasType(v, field.type))
}
