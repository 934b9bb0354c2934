import type { PreviewResult } from '../preview/previewTypes'
import type { CheckResult, CheckedItem } from './workbench'

/**
 * The whole check as one file to send to a customer: self-contained HTML (styles inline, no script, nothing
 * fetched) or Markdown. It is built from the same CheckResult the page shows; the Authorization header is
 * already `Basic [redacted]` there, and no setting is added.
 */

export type ReportFormat = 'html' | 'md'

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function fieldRows(result: PreviewResult): string[][] {
  return (result.movableInk?.fields ?? []).map((f) => [
    f.name + (f.required ? ' *' : ''),
    f.path,
    f.value === undefined ? '(no value)' : JSON.stringify(f.value),
    [f.problem ?? '', f.fix ? `fix: ${f.fix.path} gives ${JSON.stringify(f.fix.value)} (${f.fix.what})` : '']
      .filter(Boolean)
      .join(' ')
  ])
}

function htmlTable(head: string[], rows: string[][]): string {
  const cells = (row: string[], tag: string) => row.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('')
  return `<table><thead><tr>${cells(head, 'th')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${cells(r, 'td')}</tr>`)
    .join('')}</tbody></table>`
}

function htmlItem(item: CheckedItem): string {
  const parts = [`<h3>${escapeHtml(`${item.event ?? 'malformed'} (${item.source}:${item.line})`)}</h3>`]
  for (const result of item.results) {
    parts.push(`<p>Subscription: ${escapeHtml(result.subscription)}</p>`)
    if (result.request) {
      const headers = result.request.headers.map(([n, v]) => `${n}: ${v}`).join('\n')
      parts.push(
        `<pre>${escapeHtml(
          `${result.request.method} ${result.request.url}\n${headers}\n\n${result.request.body}`
        )}</pre>`
      )
    }
    if (result.size) parts.push(`<p>Size: ${result.size.bytes} bytes, ${result.size.percentOfLimit}% of the limit</p>`)
    const notes = [...result.errors.map((e) => `error: ${e}`), ...result.warnings.map((w) => `warning: ${w}`)]
    if (notes.length) parts.push(`<ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`)
    if (result.movableInk?.fields.length)
      parts.push(htmlTable(['Field (* required)', 'jq path', 'Value', 'Problem'], fieldRows(result)))
  }
  return `<section>${parts.join('\n')}</section>`
}

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}' +
  'table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}' +
  'pre{background:#f4f4f4;padding:.5rem;white-space:pre-wrap;word-break:break-all}'

export function htmlReport(check: CheckResult, endpointFile: string, when: Date): string {
  const rows = check.items.map((item) => {
    const v = item.verdict
    return [item.event ?? 'malformed', `${item.source}:${item.line}`, v.status, v.mapping, v.why]
  })
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Movable Ink check</title><style>${STYLE}</style></head><body>
<h1>Movable Ink check</h1>
<p>${escapeHtml(`Made ${when.toISOString()} by movable-ink studio, with the event mappings of ${endpointFile}.`)}</p>
<pre>${escapeHtml(check.summary.line)}</pre>
<h2>Summary</h2>
${htmlTable(['Event', 'Where', 'Status', 'Movable Ink mapping', 'Why'], rows)}
<h2>Events</h2>
${check.items.map(htmlItem).join('\n')}
</body></html>
`
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

function mdTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(mdCell).join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

export function markdownReport(check: CheckResult, endpointFile: string, when: Date): string {
  const rows = check.items.map((item) => {
    const v = item.verdict
    return [item.event ?? 'malformed', `${item.source}:${item.line}`, v.status, v.mapping, v.why]
  })
  const sections = check.items.map((item) => {
    const lines = [`### ${item.event ?? 'malformed'} (${item.source}:${item.line})`, '']
    for (const result of item.results) {
      if (result.request) lines.push('```', result.request.body, '```', '')
      result.errors.forEach((e) => lines.push(`- error: ${e}`))
      result.warnings.forEach((w) => lines.push(`- warning: ${w}`))
      if (result.movableInk?.fields.length)
        lines.push('', mdTable(['Field (* required)', 'jq path', 'Value', 'Problem'], fieldRows(result)), '')
    }
    return lines.join('\n')
  })
  return [
    '# Movable Ink check',
    '',
    `Made ${when.toISOString()} by movable-ink studio, with the event mappings of ${endpointFile}.`,
    '',
    check.summary.line,
    '',
    '## Summary',
    '',
    mdTable(['Event', 'Where', 'Status', 'Movable Ink mapping', 'Why'], rows),
    '',
    '## Events',
    '',
    ...sections,
    ''
  ].join('\n')
}
