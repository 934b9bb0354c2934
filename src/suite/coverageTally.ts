import type { EventEvaluation } from '../endpointModel'
import type { InputItem } from '../events/items'
import type { PreviewItem, PreviewResult } from '../preview/previewTypes'
import { makesNotUseful } from '../preview/warningCodes'
import type { WarningCode } from '../preview/warningCodes'
import { reasonOf } from './observed'

/**
 * Counts for `test --coverage`, per event type and name, as plain data: each worker thread keeps one and the
 * main thread merges them. Every count keeps the first place it was seen (file and line, the lowest in input
 * order, whichever worker saw it) and Movable Ink's or the destination's words for it there.
 */

/** Where in the input: the file's index in the run's list, and its line. */
export interface Place {
  file: number
  line: number
}

export interface Counted {
  count: number
  first: Place
  message?: string
}

export interface FieldCounts {
  mapping: string
  field: string
  path: string
  required: boolean
  /** A required field with no value (a problem). */
  missing?: Counted
  /** A value of the wrong type (a problem). */
  mistyped?: Counted
  /** An optional field with no value (not a problem, but nothing to personalise with). */
  empty?: Counted
}

/** What became of the events of one type and name, each event counted in exactly one of the outcome counts. */
export interface EventGroup {
  type: string
  name?: string
  count: number
  notSubscribed: number
  segmentRefused: number
  /** Sent, and no active mapping takes it. */
  unmapped: number
  /** Sent, no active mapping takes it, and the endpoint file says it is not for Movable Ink (on purpose). */
  notForMovableInk: number
  /** Sent and mapped, but Movable Ink's model finds a problem (a missing or mistyped field, a jq error). */
  problems: number
  /** Sent, mapped, no problem, but a warning whose code means Movable Ink cannot use it as meant (warningCodes.ts). */
  notUseful: number
  /** Sent, mapped, no problem, no such warning: what reaches Movable Ink usefully. */
  useful: number
  first: Place
  segmentRules: Record<string, Counted>
  mapped: Record<string, number>
  reasons: Record<string, Counted>
  /** The decisions' reasons (notForMovableInk), each with what it covers as its message. */
  decisions: Record<string, Counted>
  /** The warnings on mapped events, by code (each event once per code), with the first one's words. */
  warnings: Record<string, Counted>
  fields: Record<string, FieldCounts>
}

export interface TallyData {
  evaluated: number
  malformed?: Counted
  groups: Record<string, EventGroup>
}

/** Distinct event names kept apart; beyond these, the rest of a type are counted together, so memory stays bounded. */
export const MAX_GROUPS = 1000
const OTHER = ' (other names)'

function earlier(a: Place, b: Place): boolean {
  return a.file < b.file || (a.file === b.file && a.line < b.line)
}

function count(record: Record<string, Counted>, key: string, place: Place, message?: string): void {
  const counted = record[key]
  if (!counted) record[key] = { count: 1, first: place, ...(message === undefined ? {} : { message }) }
  else {
    counted.count++
    if (earlier(place, counted.first)) {
      counted.first = place
      if (message !== undefined) counted.message = message
    }
  }
}

function mergeCounted(into: Counted | undefined, from: Counted | undefined): Counted | undefined {
  if (!from) return into
  if (!into) return { ...from }
  const merged = { ...into, count: into.count + from.count }
  if (earlier(from.first, into.first)) Object.assign(merged, { first: from.first, message: from.message })
  return merged
}

function mergeRecord(into: Record<string, Counted>, from: Record<string, Counted>): void {
  for (const [key, counted] of Object.entries(from)) into[key] = mergeCounted(into[key], counted) as Counted
}

function nameOf(event: Record<string, unknown>): { type: string; name?: string } {
  const type = typeof event.type === 'string' ? event.type : '(no type)'
  const name = type === 'track' ? event.event : type === 'page' || type === 'screen' ? event.name : undefined
  return typeof name === 'string' ? { type, name } : { type }
}

export function groupLabel(group: { type: string; name?: string }): string {
  return group.name === undefined ? group.type : `${group.type} ${JSON.stringify(group.name)}`
}

export class CoverageTally {
  readonly data: TallyData = { evaluated: 0, groups: {} }
  private names = 0

  private groupFor(event: Record<string, unknown>, place: Place): EventGroup {
    const { type, name } = nameOf(event)
    let key = name === undefined ? type : `${type}\u0000${name}`
    let group = this.data.groups[key]
    if (!group && this.names >= MAX_GROUPS && name !== undefined) {
      key = `${type}\u0000${OTHER}`
      group = this.data.groups[key]
    }
    if (!group) {
      this.names++
      const shownName = key.endsWith(OTHER) ? OTHER.trim() : name
      group = {
        type,
        ...(shownName === undefined ? {} : { name: shownName }),
        count: 0,
        notSubscribed: 0,
        segmentRefused: 0,
        unmapped: 0,
        notForMovableInk: 0,
        problems: 0,
        notUseful: 0,
        useful: 0,
        first: place,
        segmentRules: {},
        mapped: {},
        reasons: {},
        decisions: {},
        warnings: {},
        fields: {}
      }
      this.data.groups[key] = group
    }
    if (earlier(place, group.first)) group.first = place
    return group
  }

  /** Each field's problem counted by the model's kind for it (a required item with no value is missing, not mistyped). */
  private addFields(group: EventGroup, mapping: string, evaluation: EventEvaluation, place: Place): void {
    for (const field of evaluation.fields) {
      const kind = evaluation.problems.find((p) => p.field === field.name)?.kind
      const missing = field.problem !== undefined && (kind === 'missing-required' || !field.present)
      const mistyped = field.problem !== undefined && !missing
      const empty = !field.problem && !field.present
      if (!missing && !mistyped && !empty) continue
      const key = `${mapping}\u0000${field.name}`
      const counts = (group.fields[key] ??= { mapping, field: field.name, path: field.path, required: field.required })
      const record = counts as unknown as Record<string, Counted>
      count(record, missing ? 'missing' : mistyped ? 'mistyped' : 'empty', place, field.problem)
    }
  }

  /**
   * Counts each warning code of a mapped event once, preview's and the model's; true when one of them leaves
   * the event not useful.
   */
  private addWarnings(group: EventGroup, result: PreviewResult, evaluation: EventEvaluation, place: Place): boolean {
    const codes: WarningCode[] = [...result.warningCodes, ...evaluation.warningCodes]
    const texts = [...result.warnings, ...evaluation.warnings]
    let notUseful = false
    codes.forEach((code, i) => {
      if (codes.indexOf(code) !== i) return
      count(group.warnings, code, place, texts[i])
      notUseful ||= makesNotUseful(code)
    })
    return notUseful
  }

  /** One input and what preview made of it (file: the input's index in the run's list of files). */
  add(input: InputItem, item: PreviewItem, file: number): void {
    this.data.evaluated++
    const place = { file, line: item.line }
    if (input.kind === 'malformed') {
      this.data.malformed = mergeCounted(this.data.malformed, { count: 1, first: place, message: input.reason })
      return
    }
    const group = this.groupFor(input.event, place)
    group.count++
    const result = item.results[0]
    if (!result) return void group.notSubscribed++
    if (result.errors.length > 0) {
      group.segmentRefused++
      const seen = new Set<string>()
      result.errorRules.forEach((rule, i) => {
        if (seen.has(rule)) return
        seen.add(rule)
        count(group.segmentRules, rule, place, result.errors[i])
      })
      return
    }
    const evaluation = result.movableInk
    if (!evaluation) return void group.useful++
    const decided = evaluation.notForMovableInk
    if (decided) {
      group.notForMovableInk++
      return count(group.decisions, decided.reason, place, decided.by)
    }
    const seen = new Set<string>()
    for (const problem of evaluation.problems) {
      const reason = reasonOf(problem)
      if (seen.has(reason)) continue
      seen.add(reason)
      count(group.reasons, reason, place, problem.fix ? `${problem.message}; fix: ${problem.fix}` : problem.message)
    }
    if (!evaluation.mapping) return void group.unmapped++
    const mapping = evaluation.mapping.name
    group.mapped[mapping] = (group.mapped[mapping] ?? 0) + 1
    this.addFields(group, mapping, evaluation, place)
    const notUseful = this.addWarnings(group, result, evaluation, place)
    if (evaluation.problems.length > 0) group.problems++
    else if (notUseful) group.notUseful++
    else group.useful++
  }
}

const COUNTS = [
  'count',
  'notSubscribed',
  'segmentRefused',
  'unmapped',
  'notForMovableInk',
  'problems',
  'notUseful',
  'useful'
] as const

/** Several workers' tallies as one. */
export function mergeTallies(tallies: TallyData[]): TallyData {
  const merged: TallyData = { evaluated: 0, groups: {} }
  for (const tally of tallies) {
    merged.evaluated += tally.evaluated
    merged.malformed = mergeCounted(merged.malformed, tally.malformed)
    for (const [key, group] of Object.entries(tally.groups)) {
      const into = merged.groups[key]
      if (!into) {
        merged.groups[key] = JSON.parse(JSON.stringify(group)) as EventGroup
        continue
      }
      for (const k of COUNTS) into[k] += group[k]
      if (earlier(group.first, into.first)) into.first = group.first
      mergeRecord(into.segmentRules, group.segmentRules)
      mergeRecord(into.reasons, group.reasons)
      mergeRecord(into.decisions, group.decisions)
      mergeRecord(into.warnings, group.warnings)
      for (const [m, n] of Object.entries(group.mapped)) into.mapped[m] = (into.mapped[m] ?? 0) + n
      for (const [f, counts] of Object.entries(group.fields)) {
        const target = (into.fields[f] ??= { ...counts, missing: undefined, mistyped: undefined, empty: undefined })
        for (const kind of ['missing', 'mistyped', 'empty'] as const) {
          const value = mergeCounted(target[kind], counts[kind])
          if (value) target[kind] = value
          else delete target[kind]
        }
      }
    }
  }
  return merged
}
