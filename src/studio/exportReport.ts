import type { CheckResult, CheckedItem } from './apiTypes'
import { pageSummary } from './checkView'
import { suiteCountsText } from './expectations'
import {
  counts,
  decidedRows,
  DECIDED_NOTE,
  DECIDED_TITLE,
  definitionRows,
  definitionsNote,
  differenceLines,
  differing,
  fieldRows,
  problemsFirst,
  provenance,
  SUITE_TITLE,
  where
} from './reportRows'
import type { Spec } from './reportRows'
import { STATUSES, SUITE_STATES, TONE_MARKS } from './vocabulary'
import type { Status } from './vocabulary'
import { escapeHtml } from '../io/escapeHtml'

/**
 * The whole check as one file to hand to a customer: self-contained HTML (styles inline, no script, nothing
 * fetched; it fits the page at any width and prints); markdownReport.ts writes the same as Markdown, from the
 * same rows (reportRows.ts). After the summary, the suite's result: how many events match their expected
 * results (the expected files of `movable-ink test` beside their samples), and each difference in that
 * command's words. Events come problems first, each with the mapping and schema that take it; then the mapping
 * definitions to build in Movable Ink's dashboard. It is built from the same CheckResult the page shows; the
 * Authorization header is already `Basic [redacted]` there, no setting is added, and no local path appears
 * (events are named by file name and line, expected files by name).
 */

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
        SUITE_STATES.differs.text
      }</span></h3><ul class="problems">${lines}</ul></section>`
    )
  }
  parts.push(list(suite.leftovers, 'problems'))
  return parts.join('\n')
}

function badge(status: Status): string {
  const { tone } = STATUSES[status]
  return `<span class="badge ${tone}">${TONE_MARKS[tone]} ${escapeHtml(status)}</span>`
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
    list(v.why, 'problems'),
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
.ok{background:#e3f5e1;color:#135e0b}.warn{background:#fff4d6;color:#6b4b00}.bad{background:#fde7e7;color:#8a0000}.decided{background:#e8edf3;color:#2f3f55}.muted{background:#eee;color:#444}
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
