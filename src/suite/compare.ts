import type { Observed } from './observed'
import type { Expectation, SegmentExpectation } from './suiteTypes'

/**
 * An event against its expectation: one difference per thing that is not as expected, each with the expected
 * and actual value as JSON and, for a schema field, the jq path that produced the value.
 */

export interface Difference {
  /** `event`, `line`, `segment`, `movableInk.mapping`, `movableInk.refused`, `movableInk.fields.<name>`. */
  what: string
  expected: string
  actual: string
  /** The field's jq path. */
  path?: string
  /** More about the actual value: Movable Ink's or the destination's words. */
  note?: string
  /** For two lists or two objects: only the items and keys that differ (the first few), each side's value there. */
  parts?: Part[]
  /** Differing items and keys beyond `parts`. */
  more?: number
}

/** One place inside a field's value where expected and actual differ: `item 2, price`. */
export interface Part {
  at: string
  expected: string
  actual: string
}

/** JSON with object keys sorted, so that values equal as JSON compare equal whatever their key order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

const MAX_SHOWN = 200

function shown(value: unknown): string {
  const text = JSON.stringify(value ?? null) ?? 'null'
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text
}

/** Items and keys named in a difference; the rest are counted, so a long list stays one readable line. */
const MAX_PARTS = 5

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** A value inside a list or object: `missing` when it has none (absent or null). */
function partValue(value: unknown): string {
  return value === undefined || value === null ? 'missing' : shown(value)
}

/** Where two values differ, item by item (from 1) and key by key, each place once at its deepest. */
function differingParts(expected: unknown, actual: unknown, at: string[], out: Part[]): void {
  if (canonical(expected) === canonical(actual)) return
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++)
      differingParts(expected[i], actual[i], [...at, `item ${i + 1}`], out)
    return
  }
  if (isRecord(expected) && isRecord(actual)) {
    for (const key of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort())
      differingParts(expected[key], actual[key], [...at, key], out)
    return
  }
  out.push({ at: at.join(', '), expected: partValue(expected), actual: partValue(actual) })
}

/** A field's difference; for two lists or two objects, the places that differ rather than both values cut short. */
function fieldDifference(name: string, expected: unknown, actual: unknown, path: string): Difference {
  const difference: Difference = {
    what: `movableInk.fields.${name}`,
    expected: shown(expected),
    actual: shown(actual),
    path
  }
  const both = (test: (v: unknown) => boolean) => test(expected) && test(actual)
  if (!both(Array.isArray) && !both(isRecord)) return difference
  const parts: Part[] = []
  differingParts(expected, actual, [], parts)
  if (parts.length > MAX_PARTS) difference.more = parts.length - MAX_PARTS
  difference.parts = parts.slice(0, MAX_PARTS)
  return difference
}

export function segmentText(segment: SegmentExpectation): string {
  return typeof segment === 'string' ? segment : `refused (${segment.refused.join(', ')})`
}

function sameSet(a: string[], b: string[]): boolean {
  return canonical([...a].sort()) === canonical([...b].sort())
}

function sameSegment(a: SegmentExpectation, b: SegmentExpectation): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b
  return sameSet(a.refused, b.refused)
}

function listText(list: string[]): string {
  return list.length === 0 ? 'none' : list.join(', ')
}

function notSentText(observed: Observed): string {
  return observed.segment === 'not subscribed' ? 'nothing (no subscription takes the event)' : 'nothing (not sent)'
}

function compareMovableInk(expected: Expectation, observed: Observed, differences: Difference[]): void {
  const want = expected.movableInk
  if (!want) return
  const got = observed.movableInk
  if (!got) {
    const expectedText = want.mapping === null ? 'no mapping' : JSON.stringify(want.mapping)
    differences.push({ what: 'movableInk', expected: expectedText, actual: notSentText(observed) })
    return
  }
  if (want.mapping !== got.mapping) {
    const text = (m: string | null) => (m === null ? 'no mapping' : JSON.stringify(m))
    differences.push({ what: 'movableInk.mapping', expected: text(want.mapping), actual: text(got.mapping) })
  }
  const refused = want.refused ?? []
  if (!sameSet(refused, got.refused)) {
    const added = got.refused.filter((r) => !refused.includes(r))
    const note = added.map((r) => `${r}: ${got.why[r]}`).join('; ')
    differences.push({
      what: 'movableInk.refused',
      expected: listText(refused),
      actual: listText(got.refused),
      ...(note ? { note } : {})
    })
  }
  // Another mapping's fields are another schema's: the mapping's difference says it all.
  if (!want.fields || want.mapping !== got.mapping) return
  for (const [name, value] of Object.entries(want.fields)) {
    const field = got.fields.find((f) => f.name === name)
    if (!field) {
      const actual = `no such field in mapping ${JSON.stringify(got.mapping)}`
      differences.push({ what: `movableInk.fields.${name}`, expected: shown(value), actual })
      continue
    }
    if (canonical(value) === canonical(field.value)) continue
    differences.push(fieldDifference(name, value, field.value, field.path))
  }
}

/** The differences between an event's expectation and what preview found (none: it passes). */
export function compareEvent(expected: Expectation | undefined, observed: Observed): Difference[] {
  if (!expected) return [{ what: 'expectation', expected: 'an entry in the expected file', actual: 'none' }]
  const differences: Difference[] = []
  if (expected.event !== undefined && expected.event !== observed.event)
    differences.push({ what: 'event', expected: expected.event, actual: observed.event })
  if (expected.line !== undefined && expected.line !== observed.line)
    differences.push({ what: 'line', expected: String(expected.line), actual: String(observed.line) })
  if (expected.segment !== undefined && !sameSegment(expected.segment, observed.segment)) {
    const why = Object.entries(observed.segmentWhy ?? {}).map(([rule, message]) => `${rule}: ${message}`)
    const note = why.length > 0 ? why.join('; ') : undefined
    differences.push({
      what: 'segment',
      expected: segmentText(expected.segment),
      actual: segmentText(observed.segment),
      ...(note ? { note } : {})
    })
  }
  compareMovableInk(expected, observed, differences)
  return differences
}
