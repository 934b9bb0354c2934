import { basename } from 'path'
import type { EndpointSpec } from '../endpointModel'
import type { PreviewResult } from '../preview/previewTypes'
import { plural } from '../io/plural'
import { STAND_IN_KEY } from '../standIn/standIn'
import { differenceText } from '../suite'
import type { CheckResult, CheckedItem } from './apiTypes'
import type { EventSuite } from './expectations'
import { STATUS_ORDER } from './vocabulary'
import type { Status } from './vocabulary'

/**
 * What the exported report says, in either format (exportReport.ts writes it as HTML, markdownReport.ts as
 * Markdown): where it comes from, the events in order (problems first), their rows and reasons, the decisions,
 * the suite's differences, and the mapping definitions.
 */

export type Spec = Partial<EndpointSpec> | undefined

/**
 * When the report was made, from which endpoint file (its name: the mappings as edited on the page, saved or
 * not) and from which inputs, each named by file name with how many of its events are in the report.
 */
export function provenance(check: CheckResult, when: Date, endpointFile?: string): string {
  const counts = new Map<string, number>()
  for (const item of check.items) counts.set(basename(item.source), (counts.get(basename(item.source)) ?? 0) + 1)
  const inputs = [...counts].map(([name, n]) => `${name} (${n} event${n === 1 ? '' : 's'})`).join(', ')
  const mappings = endpointFile ? ` The event mappings of ${basename(endpointFile)}, as edited in the studio.` : ''
  return `Made ${when.toISOString()} by movable-ink studio.${mappings} Events from: ${inputs || 'none'}.`
}

export const where = (item: CheckedItem) => `${basename(item.source)}:${item.line}`

export const SUITE_TITLE = 'Against the expected results (movable-ink test)'

/** The events that differ from their expectation, in the report's order, each with its differences. */
export function differing(check: CheckResult, items: CheckedItem[]): { item: CheckedItem; suite: EventSuite }[] {
  const byId = new Map(check.items.map((item, i) => [item.id, check.suite.events[i]]))
  return items.flatMap((item) => {
    const suite = byId.get(item.id)
    return suite?.state === 'differs' ? [{ item, suite }] : []
  })
}

/** A difference in `movable-ink test`'s words: the line, and the note beneath it when there is one. */
export function differenceLines(suite: EventSuite): [string, string | undefined][] {
  return suite.differences.map((d) => {
    const [line, ...note] = differenceText(d).split('\n')
    return [line, note.length ? note.join(' ').trim() : undefined]
  })
}

export const DECIDED: Status = 'not for Movable Ink'
export const DECIDED_TITLE = 'Not for Movable Ink (left unmapped on purpose)'
export const DECIDED_NOTE =
  "The endpoint file marks these events as not for Movable Ink (its notForMovableInk), each with the reason; Movable Ink's endpoint refuses them as it does any event no mapping takes."

/** The events left unmapped on purpose, each with the decision's reason: listed apart from the rest. */
export function decidedRows(items: CheckedItem[]): string[][] {
  return items.flatMap((item) => {
    const decision = item.results.find((r) => r.movableInk)?.movableInk?.notForMovableInk
    return item.verdict.status === DECIDED && decision
      ? [[item.event ?? 'malformed', where(item), decision.by, decision.reason]]
      : []
  })
}

/** Worst first, then in the order they were loaded; the events left out on purpose are listed apart. */
export function problemsFirst(items: CheckedItem[]): CheckedItem[] {
  const rank = (s: Status) => STATUS_ORDER.indexOf(s)
  return items
    .filter((item) => item.verdict.status !== DECIDED)
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item.verdict.status) - rank(b.item.verdict.status) || a.i - b.i)
    .map(({ item }) => item)
}

export function counts(items: CheckedItem[]): [Status, number][] {
  return STATUS_ORDER.map((s) => [s, items.filter((i) => i.verdict.status === s).length] as [Status, number]).filter(
    ([, n]) => n > 0
  )
}

export function fieldRows(result: PreviewResult): string[][] {
  return (result.movableInk?.fields ?? []).map((f) => [
    f.name + (f.required ? ' *' : ''),
    f.path,
    f.value === undefined ? '(no value)' : JSON.stringify(f.value),
    [f.problem ? `✗ ${f.problem}` : f.present ? '✓' : '-', f.fix ? `fix: ${f.fix.path} (${f.fix.what})` : '']
      .filter(Boolean)
      .join(' ')
  ])
}

/** How many of the report's events each mapping takes (by its place in the endpoint file). */
function takenCounts(items: CheckedItem[]): Map<number, number> {
  const taken = new Map<number, number>()
  for (const { verdict } of items)
    if (verdict.mappingIndex !== undefined) taken.set(verdict.mappingIndex, (taken.get(verdict.mappingIndex) ?? 0) + 1)
  return taken
}

/**
 * The mappings to build: only those that take at least one of these events, each with how many. The endpoint
 * file's other mappings (the defaults no event needed) are not the customer's to build, and are only counted.
 */
export function definitionRows(spec: Spec, items: CheckedItem[]): { title: string; match: string; rows: string[][] }[] {
  const taken = takenCounts(items)
  return (spec?.mappings ?? []).flatMap((m, i) => {
    const n = taken.get(i)
    if (!n) return []
    return [
      {
        title: `${i + 1}. ${m.name} (schema ${m.schema}${m.active === false ? ', inactive' : ''}): takes ${plural(
          n,
          'event'
        )}`,
        match: m.match ?? '',
        rows: (m.fields ?? []).map((f) => [f.name, f.path, f.type, f.required ? 'yes' : 'no'])
      }
    ]
  })
}

/**
 * What comes before the definitions: the endpoint key when it is the customer's (the stand-in's own key is not
 * one to build), and the mappings left out because no event here needs them.
 */
export function definitionsNote(spec: Spec, items: CheckedItem[]): string {
  const key = spec?.endpointKey && spec.endpointKey !== STAND_IN_KEY ? `Endpoint key: ${spec.endpointKey}. ` : ''
  const all = spec?.mappings?.length ?? 0
  const unused = all - takenCounts(items).size
  const left =
    unused > 0 ? ` Not listed: ${plural(unused, 'mapping')} of the endpoint file that take none of these events.` : ''
  return `${key}Only the mappings these events need, in the order Movable Ink tries them: the first active mapping whose match criterion holds takes an event.${left}`
}
