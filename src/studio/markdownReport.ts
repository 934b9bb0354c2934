import type { CheckResult, CheckedItem } from './apiTypes'
import { pageSummary } from './checkView'
import { suiteCountsText } from './expectations'
import { mdCode, mdText } from './markdownText'
import * as report from './reportRows'
type Spec = report.Spec
import { SUITE_STATES } from './vocabulary'

/**
 * The exported report as Markdown, for a ticket or a wiki: the same sections as the HTML one (exportReport.ts),
 * from the same rows (reportRows.ts), every text escaped for Markdown (markdownText.ts).
 */

function markdownSuite(check: CheckResult, items: CheckedItem[]): string[] {
  const { suite } = check
  const lines = [`## ${report.SUITE_TITLE}`, '', `${mdText(suiteCountsText(suite))}.`, '']
  if (!suite.off && suite.matched + suite.differ === 0)
    lines.push(
      'No event has an expected result yet: save them as expected in the studio, or run movable-ink test --update.',
      ''
    )
  for (const { item, suite: s } of report.differing(check, items)) {
    lines.push(
      `### ${mdText(`${item.event ?? 'malformed'} (${report.where(item)}): ${SUITE_STATES.differs.text}`)}`,
      ''
    )
    for (const [line, note] of report.differenceLines(s))
      lines.push(`- ${mdText(line)}`, ...(note ? [`  - ${mdText(note)}`] : []))
    lines.push('')
  }
  if (suite.leftovers.length > 0) lines.push(...suite.leftovers.map((l) => `- ${mdText(l)}`), '')
  return lines
}

function mdTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(mdText).join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

function markdownDecided(all: CheckedItem[]): string[] {
  const rows = report.decidedRows(all)
  if (rows.length === 0) return []
  return [
    `## ${report.DECIDED_TITLE}`,
    '',
    mdText(report.DECIDED_NOTE),
    '',
    mdTable(['Event', 'Where', 'Decided by', 'Reason'], rows),
    ''
  ]
}

export function markdownReport(check: CheckResult, spec: Spec, when: Date, endpointFile?: string): string {
  const items = report.problemsFirst(check.items)
  const rows = items.map((item) => [
    item.event ?? 'malformed',
    report.where(item),
    item.verdict.status,
    item.verdict.mapping
  ])
  const sections = items.map((item) => {
    const v = item.verdict
    const mi = item.results.find((r) => r.movableInk)?.movableInk
    const lines = [`### ${mdText(`${item.event ?? 'malformed'} (${report.where(item)}): ${v.status}`)}`, '']
    lines.push(
      mdText(
        mi?.mapping
          ? `Movable Ink: event mapping "${mi.mapping.name}" (schema ${mi.mapping.schema})`
          : 'Movable Ink: no event mapping'
      ),
      ''
    )
    v.why.forEach((p) => lines.push(`- problem: ${mdText(p)}`))
    v.warnings.forEach((w) => lines.push(`- warning: ${mdText(w)}`))
    for (const result of item.results)
      if (result.movableInk?.fields.length)
        lines.push('', mdTable(['Field (* required)', 'jq path', 'Value', 'Check'], report.fieldRows(result)), '')
    return lines.join('\n')
  })
  const definitions = report
    .definitionRows(spec, check.items)
    .flatMap((d) => [
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
    mdText(report.provenance(check, when, endpointFile)),
    '',
    report
      .counts(check.items)
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
    mdText(report.definitionsNote(spec, check.items)),
    '',
    ...definitions
  ].join('\n')
}
