import { basename } from 'path'
import type { EndpointSpec } from '../endpointModel'
import type { PreviewResult } from '../preview/previewTypes'
import { differenceText } from '../suite'
import { pageSummary } from './checkView'
import { STATE_TEXT, suiteCountsText } from './expectations'
import type { EventSuite } from './expectations'
import { mdCode, mdText } from './markdownText'
import { STATUS_ORDER } from './verdict'
import type { Status } from './verdict'
import type { CheckResult, CheckedItem } from './workbench'
import { escapeHtml } from '../io/escapeHtml'
import { plural } from '../io/plural'
import { STAND_IN_KEY } from '../standIn/standIn'

/**
 * The whole check as one file to hand to a customer: self-contained HTML (styles inline, no script, nothing
 * fetched; it fits the page at any width and prints) or Markdown. After the summary, the suite's result: how
 * many events match their expected results (the expected files of `movable-ink test` beside their samples),
 * and each difference in that command's words. Events come problems first, each with the mapping and schema
 * that take it; then the mapping definitions to build in Movable Ink's dashboard. It is built from the same
 * CheckResult the page shows; the Authorization header is already `Basic [redacted]` there, no setting is
 * added, and no local path appears (events are named by file name and line, expected files by name).
 */

export type ReportFormat = 'html' | 'md'

type Spec = Partial<EndpointSpec> | undefined

/**
 * When the report was made, from which endpoint file (its name: the mappings as edited on the page, saved or
 * not) and from which inputs, each named by file name with how many of its events are in the report.
 */
function provenance(check: CheckResult, when: Date, endpointFile?: string): string {
  const counts = new Map<string, number>()
  for (const item of check.items) counts.set(basename(item.source), (counts.get(basename(item.source)) ?? 0) + 1)
  const inputs = [...counts].map(([name, n]) => `${name} (${n} event${n === 1 ? '' : 's'})`).join(', ')
  const mappings = endpointFile ? ` The event mappings of ${basename(endpointFile)}, as edited in the studio.` : ''
  return `Made ${when.toISOString()} by movable-ink studio.${mappings} Events from: ${inputs || 'none'}.`
}

const where = (item: CheckedItem) => `${basename(item.source)}:${item.line}`

const SUITE_TITLE = 'Against the expected results (movable-ink test)'

/** The events that differ from their expectation, in the report's order, each with its differences. */
function differing(check: CheckResult, items: CheckedItem[]): { item: CheckedItem; suite: EventSuite }[] {
  const byId = new Map(check.items.map((item, i) => [item.id, check.suite.events[i]]))
  return items.flatMap((item) => {
    const suite = byId.get(item.id)
    return suite?.state === 'differs' ? [{ item, suite }] : []
  })
}

/** A difference in `movable-ink test`'s words: the line, and the note beneath it when there is one. */
function differenceLines(suite: EventSuite): [string, string | undefined][] {
  return suite.differences.map((d) => {
    const [line, ...note] = differenceText(d).split('\n')
    return [line, note.length ? note.join(' ').trim() : undefined]
  })
}

function htmlSuite(check: CheckResult, items: CheckedItem[]): string {
  const { suite } = check
  const parts = [
    `<h2>${escapeHtml(SUITE_TITLE)}</h2>`,
    `<p class="suite-line">${escapeHtml(suiteCountsText(suite))}.</p>`
  ]
  if (!suite.off && suite.matched + suite.differ === 0)
    parts.push(
      '<p>No event has an expected result yet: save them as expected in the studio, or run movable-ink test --update.</p>'
    )
  for (const { item, suite: s } of differing(check, items)) {
    const lines = differenceLines(s)
      .map(([line, note]) => `<li>${escapeHtml(line)}${note ? `<br><small>${escapeHtml(note)}</small>` : ''}</li>`)
      .join('')
    parts.push(
      `<section class="event"><h3>${escapeHtml(item.event ?? 'malformed')} <small>${escapeHtml(
        where(item)
      )}</small> <span class="badge bad">≠ ${
        STATE_TEXT.differs
      }</span></h3><ul class="problems">${lines}</ul></section>`
    )
  }
  parts.push(list(suite.leftovers, 'problems'))
  return parts.join('\n')
}

function markdownSuite(check: CheckResult, items: CheckedItem[]): string[] {
  const { suite } = check
  const lines = [`## ${SUITE_TITLE}`, '', `${mdText(suiteCountsText(suite))}.`, '']
  if (!suite.off && suite.matched + suite.differ === 0)
    lines.push(
      'No event has an expected result yet: save them as expected in the studio, or run movable-ink test --update.',
      ''
    )
  for (const { item, suite: s } of differing(check, items)) {
    lines.push(`### ${mdText(`${item.event ?? 'malformed'} (${where(item)}): ${STATE_TEXT.differs}`)}`, '')
    for (const [line, note] of differenceLines(s))
      lines.push(`- ${mdText(line)}`, ...(note ? [`  - ${mdText(note)}`] : []))
    lines.push('')
  }
  if (suite.leftovers.length > 0) lines.push(...suite.leftovers.map((l) => `- ${mdText(l)}`), '')
  return lines
}

const DECIDED: Status = 'not for Movable Ink'
const DECIDED_TITLE = 'Not for Movable Ink (left unmapped on purpose)'
const DECIDED_NOTE =
  "The endpoint file marks these events as not for Movable Ink (its notForMovableInk), each with the reason; Movable Ink's endpoint refuses them as it does any event no mapping takes."

/** The events left unmapped on purpose, each with the decision's reason: listed apart from the rest. */
function decidedRows(items: CheckedItem[]): string[][] {
  return items.flatMap((item) => {
    const decision = item.results.find((r) => r.movableInk)?.movableInk?.notForMovableInk
    return item.verdict.status === DECIDED && decision
      ? [[item.event ?? 'malformed', where(item), decision.by, decision.reason]]
      : []
  })
}

/** Worst first, then in the order they were loaded; the events left out on purpose are listed apart. */
function problemsFirst(items: CheckedItem[]): CheckedItem[] {
  const rank = (s: Status) => STATUS_ORDER.indexOf(s)
  return items
    .filter((item) => item.verdict.status !== DECIDED)
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item.verdict.status) - rank(b.item.verdict.status) || a.i - b.i)
    .map(({ item }) => item)
}

function counts(items: CheckedItem[]): [Status, number][] {
  return STATUS_ORDER.map((s) => [s, items.filter((i) => i.verdict.status === s).length] as [Status, number]).filter(
    ([, n]) => n > 0
  )
}

function fieldRows(result: PreviewResult): string[][] {
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
function definitionRows(spec: Spec, items: CheckedItem[]): { title: string; match: string; rows: string[][] }[] {
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
function definitionsNote(spec: Spec, items: CheckedItem[]): string {
  const key = spec?.endpointKey && spec.endpointKey !== STAND_IN_KEY ? `Endpoint key: ${spec.endpointKey}. ` : ''
  const all = spec?.mappings?.length ?? 0
  const unused = all - takenCounts(items).size
  const left =
    unused > 0 ? ` Not listed: ${plural(unused, 'mapping')} of the endpoint file that take none of these events.` : ''
  return `${key}Only the mappings these events need, in the order Movable Ink tries them: the first active mapping whose match criterion holds takes an event.${left}`
}

const CSS_CLASS: Record<Status, string> = {
  malformed: 'bad',
  refused: 'bad',
  unmapped: 'bad',
  'mapped, with problems': 'bad',
  'mapped, with warnings': 'warn',
  'not for Movable Ink': 'decided',
  'not sent': 'warn',
  mapped: 'ok'
}

const MARK: Record<string, string> = { ok: '✓', warn: '!', decided: '⊘', bad: '✗' }

function badge(status: Status): string {
  const mark = MARK[CSS_CLASS[status]]
  return `<span class="badge ${CSS_CLASS[status]}">${mark} ${escapeHtml(status)}</span>`
}

function htmlTable(head: string[], rows: string[][], cls = ''): string {
  const cells = (row: string[], tag: string) => row.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('')
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${cells(head, 'th')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${cells(r, 'td')}</tr>`)
    .join('')}</tbody></table>`
}

function list(lines: string[], cls: string): string {
  return lines.length ? `<ul class="${cls}">${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : ''
}

function htmlItem(item: CheckedItem): string {
  const v = item.verdict
  const mi = item.results.find((r) => r.movableInk)?.movableInk
  const mapping = mi?.mapping ? `event mapping "${mi.mapping.name}" (schema ${mi.mapping.schema})` : 'no event mapping'
  const parts = [
    `<h3>${escapeHtml(item.event ?? 'malformed')} <small>${escapeHtml(where(item))}</small> ${badge(v.status)}</h3>`,
    `<p>Movable Ink: ${escapeHtml(mapping)}</p>`,
    list(v.why ? v.why.split('; ') : [], 'problems'),
    list(v.warnings, 'warnings')
  ]
  for (const result of item.results) {
    if (result.movableInk?.fields.length)
      parts.push(htmlTable(['Field (* required)', 'jq path', 'Value', 'Check'], fieldRows(result), 'fields'))
    if (result.request) {
      const { method, url, headers, body } = result.request
      const text = `${method} ${url}\n${headers.map(([n, value]) => `${n}: ${value}`).join('\n')}\n\n${body}`
      parts.push(
        `<details><summary>The request the destination makes</summary><pre>${escapeHtml(text)}</pre></details>`
      )
    }
  }
  return `<section class="event">${parts.join('\n')}</section>`
}

const STYLE = `
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;max-width:64rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .3rem}h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:2px solid #ccc}h3{font-size:1.05rem;margin:0 0 .3rem}
small{color:#555;font-weight:normal}
table{border-collapse:collapse;width:100%;table-layout:fixed;margin:.4rem 0}
td,th{border:1px solid #bbb;padding:.25rem .45rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f1f1f1}
code,pre,td:nth-child(2){font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem}
pre{background:#f4f4f4;padding:.5rem;white-space:pre-wrap;overflow-wrap:anywhere;margin:.3rem 0}
.badge{display:inline-block;border:1px solid;border-radius:3px;padding:0 .4rem;font-size:.8rem;font-weight:600;white-space:nowrap}
.ok{background:#e3f5e1;color:#135e0b}.warn{background:#fff4d6;color:#6b4b00}.bad{background:#fde7e7;color:#8a0000}.decided{background:#e8edf3;color:#2f3f55}
.event{border:1px solid #ccc;border-radius:6px;padding:.7rem .9rem;margin:.7rem 0;break-inside:avoid}
ul.problems li{color:#8a0000}ul.warnings li{color:#6b4b00}
.counts span{margin-right:.6rem}
@media print{body{margin:0;max-width:none;font-size:11pt}details{display:block}details>summary{list-style:none}.event{break-inside:avoid}a{color:inherit}}
`

function htmlDecided(all: CheckedItem[]): string {
  const rows = decidedRows(all)
  if (rows.length === 0) return ''
  return `<h2>${escapeHtml(DECIDED_TITLE)}</h2>\n<p>${escapeHtml(DECIDED_NOTE)}</p>\n${htmlTable(
    ['Event', 'Where', 'Decided by', 'Reason'],
    rows,
    'decided'
  )}`
}

export function htmlReport(check: CheckResult, spec: Spec, when: Date, endpointFile?: string): string {
  const items = problemsFirst(check.items)
  const summaryRows = items.map((item) => {
    const v = item.verdict
    return `<tr><td>${escapeHtml(item.event ?? 'malformed')}</td><td>${escapeHtml(where(item))}</td><td>${badge(
      v.status
    )}</td><td>${escapeHtml(v.mapping)}</td></tr>`
  })
  const definitions = definitionRows(spec, check.items)
    .map(
      (d) =>
        `<h3>${escapeHtml(d.title)}</h3><p>Match criterion (jq): <code>${escapeHtml(d.match)}</code></p>${htmlTable(
          ['Field', 'jq path', 'Type', 'Required'],
          d.rows,
          'definition'
        )}`
    )
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Movable Ink check</title><style>${STYLE}</style></head><body>
<h1>Movable Ink check</h1>
<p>${escapeHtml(provenance(check, when, endpointFile))}</p>
<p class="counts">${counts(check.items)
    .map(([s, n]) => `<span>${badge(s)} ${n}</span>`)
    .join('')}</p>
<pre>${escapeHtml(pageSummary(check.items).line)}</pre>
<h2>Summary (problems first)</h2>
<table class="summary"><thead><tr><th>Event</th><th>Where</th><th>Status</th><th>Movable Ink mapping</th></tr></thead><tbody>${summaryRows.join(
    ''
  )}</tbody></table>
${htmlDecided(check.items)}
${htmlSuite(check, items)}
<h2>Events</h2>
${items.map(htmlItem).join('\n')}
<h2>Event mappings to build in Movable Ink's dashboard</h2>
<p>${escapeHtml(definitionsNote(spec, check.items))}</p>
${definitions}
</body></html>
`
}

function mdTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(mdText).join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

function markdownDecided(all: CheckedItem[]): string[] {
  const rows = decidedRows(all)
  if (rows.length === 0) return []
  return [
    `## ${DECIDED_TITLE}`,
    '',
    mdText(DECIDED_NOTE),
    '',
    mdTable(['Event', 'Where', 'Decided by', 'Reason'], rows),
    ''
  ]
}

export function markdownReport(check: CheckResult, spec: Spec, when: Date, endpointFile?: string): string {
  const items = problemsFirst(check.items)
  const rows = items.map((item) => [item.event ?? 'malformed', where(item), item.verdict.status, item.verdict.mapping])
  const sections = items.map((item) => {
    const v = item.verdict
    const mi = item.results.find((r) => r.movableInk)?.movableInk
    const lines = [`### ${mdText(`${item.event ?? 'malformed'} (${where(item)}): ${v.status}`)}`, '']
    lines.push(
      mdText(
        mi?.mapping
          ? `Movable Ink: event mapping "${mi.mapping.name}" (schema ${mi.mapping.schema})`
          : 'Movable Ink: no event mapping'
      ),
      ''
    )
    if (v.why) v.why.split('; ').forEach((p) => lines.push(`- problem: ${mdText(p)}`))
    v.warnings.forEach((w) => lines.push(`- warning: ${mdText(w)}`))
    for (const result of item.results)
      if (result.movableInk?.fields.length)
        lines.push('', mdTable(['Field (* required)', 'jq path', 'Value', 'Check'], fieldRows(result)), '')
    return lines.join('\n')
  })
  const definitions = definitionRows(spec, check.items).flatMap((d) => [
    `### ${mdText(d.title)}`,
    '',
    `Match criterion (jq): ${mdCode(d.match)}`,
    '',
    mdTable(['Field', 'jq path', 'Type', 'Required'], d.rows),
    ''
  ])
  return [
    '# Movable Ink check',
    '',
    mdText(provenance(check, when, endpointFile)),
    '',
    counts(check.items)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', '),
    '',
    mdText(pageSummary(check.items).line),
    '',
    '## Summary (problems first)',
    '',
    mdTable(['Event', 'Where', 'Status', 'Movable Ink mapping'], rows),
    '',
    ...markdownDecided(check.items),
    ...markdownSuite(check, items),
    '## Events',
    '',
    ...sections,
    '',
    "## Event mappings to build in Movable Ink's dashboard",
    '',
    mdText(definitionsNote(spec, check.items)),
    '',
    ...definitions
  ].join('\n')
}
