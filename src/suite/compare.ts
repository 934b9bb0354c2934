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
    const what = `movableInk.fields.${name}`
    differences.push({ what, expected: shown(value), actual: shown(field.value), path: field.path })
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
