import { skippedLines } from '../events/skippedInputs'
import type { CountedItem, CoverageReport, Estimate, GroupReport } from './coverageReport'
import { countText, labelledItems, provenanceLine, shareText } from './coverageText'
import { escapeHtml } from '../io/escapeHtml'

/**
 * The coverage report as one self-contained HTML page (no script, no external file) that a Solutions Architect
 * can send to the customer: the share that reaches Movable Ink usefully, and a bar per event name.
 */

const PARTS: { key: keyof GroupReport; label: string; className: string }[] = [
  { key: 'useful', label: 'mapped', className: 'useful' },
  { key: 'problems', label: 'problems', className: 'problems' },
  { key: 'notUseful', label: 'not useful (a warning)', className: 'notuseful' },
  { key: 'unmapped', label: 'refused: unmapped', className: 'refused' },
  { key: 'notForMovableInk', label: 'not for Movable Ink (on purpose)', className: 'decided' },
  { key: 'segmentRefused', label: "refused by Segment's side", className: 'segment' },
  { key: 'notSubscribed', label: 'not subscribed', className: 'skipped' }
]

function bar(group: GroupReport): string {
  const parts = PARTS.map(({ key, label, className }) => {
    const e = group[key] as Estimate
    if (e.count === 0) return ''
    const title = escapeHtml(`${label}: ${countText(e)} (${shareText(e)})`)
    return `<span class="${className}" style="width:${(e.share * 100).toFixed(3)}%" title="${title}"></span>`
  })
  return `<div class="bar">${parts.join('')}</div>`
}

function itemRow(label: string, item: CountedItem): string {
  const message = item.message ? `<div class="why">${escapeHtml(item.message)}</div>` : ''
  return `<li>${escapeHtml(label)}: ${escapeHtml(countText(item.count))} (${escapeHtml(
    shareText(item.count)
  )}), first at <code>${escapeHtml(`${item.first.file}:${item.first.line}`)}</code>${message}</li>`
}

function details(group: GroupReport): string {
  const rows: string[] = []
  for (const m of group.mapped)
    rows.push(`<li>mapped to “${escapeHtml(m.mapping)}”: ${escapeHtml(countText(m.count))}</li>`)
  for (const { label, item } of labelledItems(group)) rows.push(itemRow(label, item))
  return rows.length ? `<ul>${rows.join('')}</ul>` : ''
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d232a}
h1{font-size:1.4rem}.big{font-size:2rem;font-weight:600}table{border-collapse:collapse;width:100%}
td,th{padding:.45rem .5rem;border-bottom:1px solid #e3e6ea;vertical-align:top;text-align:left}
.bar{display:flex;height:1.1rem;width:100%;background:#f1f3f5;border-radius:3px;overflow:hidden;min-width:12rem}
.bar span{display:block;height:100%}.useful{background:#2f9e44}.problems{background:#f08c00}.notuseful{background:#fcc419}.refused{background:#e03131}
.segment{background:#862e9c}.decided{background:#8da2bd}.skipped{background:#adb5bd}.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:-1px}
ul{margin:.3rem 0 0;padding-left:1.1rem}.why{color:#5c6670;font-size:.9em}code{font-size:.9em}.num{text-align:right;white-space:nowrap}`

const USEFUL = 'sent by Segment, taken by an event mapping, every required field present and of the right type'

/** The useful share, of the events meant for Movable Ink when some are left out on purpose, with the other beside. */
function headlineHtml(report: CoverageReport): string {
  const all = `${shareText(report.useful)} of every event (${countText(report.useful)} events)`
  if (report.notForMovableInk.count === 0)
    return `<p><span class="big">${escapeHtml(
      shareText(report.useful)
    )}</span> would reach Movable Ink usefully (${escapeHtml(countText(report.useful))} events): ${USEFUL}.</p>`
  return `<p><span class="big">${escapeHtml(
    shareText(report.usefulOfMeant)
  )}</span> of the events meant for Movable Ink would reach it usefully: ${USEFUL}. ${escapeHtml(
    `Left out on purpose as not for Movable Ink (the endpoint file's notForMovableInk): ${countText(
      report.notForMovableInk
    )} events. Of every event: ${all}.`
  )}</p>`
}

export function coverageHtml(report: CoverageReport, title = 'Movable Ink coverage report'): string {
  const sampled = report.sampling
    ? `a uniform sample of ${report.evaluated.toLocaleString('en-US')} events (rate ${
        report.sampling.rate
      }); shares with their 95% margin of error`
    : 'every event evaluated'
  const rows = report.events.map(
    (g) =>
      `<tr><th>${escapeHtml(g.label)}</th><td class="num">${escapeHtml(
        countText(g.events)
      )}</td><td class="num">${escapeHtml(
        g.notForMovableInk.count === g.events.count ? 'not for Movable Ink' : shareText(g.useful)
      )}</td><td>${bar(g)}${details(g)}</td></tr>`
  )
  const legend = PARTS.map((p) => `<span class="${p.className}"></span>${escapeHtml(p.label)}`).join('')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(report.read.toLocaleString('en-US'))} events from ${escapeHtml(report.files.join(', '))}: ${escapeHtml(
    sampled
  )}${report.interrupted ? ' (interrupted: only the events read until then)' : ''}.</p>
<p>${escapeHtml(provenanceLine(report))}</p>
${headlineHtml(report)}
<p class="legend">${legend}</p>
<table><thead><tr><th>event</th><th class="num">events</th><th class="num">useful</th><th>what became of them</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
${
  report.malformed.count > 0
    ? `<p>Malformed lines: ${escapeHtml(countText(report.malformed))} (${escapeHtml(
        shareText(report.malformed)
      )}), first at <code>${escapeHtml(
        report.malformed.first ? `${report.malformed.first.file}:${report.malformed.first.line}` : ''
      )}</code>: ${escapeHtml(report.malformed.message ?? '')}</p>`
    : ''
}
${(report.skipped ? skippedLines(report.skipped) : []).map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
</body></html>
`
}
