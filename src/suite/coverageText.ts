import { skippedLines } from '../events/skippedInputs'
import type { CountedItem, CoverageReport, Estimate, GroupReport, WarningItem, Where } from './coverageReport'

/** The coverage report for people: the share that reaches Movable Ink usefully, then one block per event name. */

function number(n: number): string {
  return n.toLocaleString('en-US')
}

function percent(share: number): string {
  const p = share * 100
  return `${p >= 10 || p === 0 ? p.toFixed(1) : p.toPrecision(2)}%`
}

/** `81.2%`, or with sampling `81.2% ± 0.4%` (the 95% interval's larger side). */
export function shareText(e: Estimate): string {
  if (e.low === undefined || e.high === undefined) return percent(e.share)
  return `${percent(e.share)} ± ${percent(Math.max(e.share - e.low, e.high - e.share))}`
}

/** `1,234`, or with sampling `≈123,400` (the count scaled to every event read). */
export function countText(e: Estimate): string {
  return e.estimated === undefined ? number(e.count) : `≈${number(e.estimated)}`
}

function place(w: Where): string {
  return `${w.file}:${w.line}`
}

function itemLine(label: string, item: CountedItem): string {
  const message = item.message ? `\n        ${item.message}` : ''
  return `    ${label}: ${countText(item.count)} (${shareText(item.count)}), first at ${place(item.first)}${message}`
}

/** A group wholly left out on purpose says so instead of "0.0% reach Movable Ink usefully". */
function groupOutcome(group: GroupReport): string {
  if (group.notForMovableInk.count === group.events.count) return 'not for Movable Ink (on purpose)'
  return `${shareText(group.useful)} reach Movable Ink usefully`
}

/** A warning by its code: one that leaves the event unusable says so, the others are warnings only. */
export function warningLabel(w: WarningItem): string {
  return w.notUseful ? `not useful to Movable Ink (${w.what})` : `warning (${w.what})`
}

/**
 * A group's counted items, each with its label, in the order both reports list them: Segment's refusals, Movable
 * Ink's, the events left out on purpose, the warnings, then each field's problems.
 */
export function labelledItems(group: GroupReport): { label: string; item: CountedItem }[] {
  const items = [
    ...group.segmentRules.map((item) => ({ label: `refused by Segment's side (${item.what})`, item })),
    ...group.reasons.map((item) => ({ label: `refused by Movable Ink (${item.what})`, item })),
    // A decision's reason is its message, and its name (`what`) the line under it.
    ...group.decisions.map((d) => ({
      label: `not for Movable Ink (${d.message ?? ''})`,
      item: { ...d, message: d.what }
    })),
    ...group.warnings.map((item) => ({ label: warningLabel(item), item }))
  ]
  for (const field of group.fields) {
    const name = `field ${field.field} of "${field.mapping}" (${field.path})`
    if (field.missing) items.push({ label: `${name} missing`, item: { ...field.missing, message: undefined } })
    if (field.mistyped) items.push({ label: `${name} mistyped`, item: field.mistyped })
    if (field.empty) items.push({ label: `${name} empty (optional)`, item: { ...field.empty, message: undefined } })
  }
  return items
}

function groupLines(group: GroupReport): string[] {
  const lines = [
    `${group.label}: ${countText(group.events)} event${
      group.events.count === 1 && !group.events.estimated ? '' : 's'
    } (${shareText(group.events)}), ${groupOutcome(group)}`
  ]
  const mapped = group.mapped.map((m) => `"${m.mapping}" ${countText(m.count)}`).join(', ')
  if (mapped) lines.push(`    mapped to ${mapped}`)
  if (group.notSubscribed.count > 0)
    lines.push(`    not subscribed: ${countText(group.notSubscribed)} (${shareText(group.notSubscribed)})`)
  for (const { label, item } of labelledItems(group)) lines.push(itemLine(label, item))
  return lines
}

/** Which endpoint file, which inputs with how many events each (the first few of many), and when. */
export function provenanceLine(report: CoverageReport): string {
  const named = report.inputs.length <= 5 ? report.inputs : report.inputs.slice(0, 3)
  const inputs = named.map((i) => `${i.file} (${number(i.events)} event${i.events === 1 ? '' : 's'})`)
  if (named.length < report.inputs.length) inputs.push(`and ${report.inputs.length - named.length} more files`)
  return `Endpoint file: ${report.endpointFile}. Inputs: ${inputs.join(', ')}. Made ${report.madeAt}.`
}

/** The files read: all of them, or for a folder of an archive the first few and how many. */
function filesText(files: string[]): string {
  return files.length <= 5 ? files.join(', ') : `${files.length} files (${files.slice(0, 3).join(', ')}, ...)`
}

export function coverageLines(report: CoverageReport): string[] {
  const sampled = report.sampling
    ? `a uniform sample of ${number(report.evaluated)} (rate ${report.sampling.rate}, seed ${
        report.sampling.seed
      }; shares with their 95% margin, counts estimated for every event)`
    : 'every one evaluated'
  const lines = [
    `Coverage of ${number(report.read)} events from ${filesText(report.files)}: ${sampled}${
      report.interrupted ? '. Interrupted: only the events read until then.' : '.'
    }`,
    provenanceLine(report),
    ''
  ]
  if (report.skipped) lines.push(...skippedLines(report.skipped), '')
  for (const group of report.events) lines.push(...groupLines(group), '')
  if (report.malformed.count > 0)
    lines.push(
      `Malformed lines: ${countText(report.malformed)} (${shareText(report.malformed)}), first at ${
        report.malformed.first ? place(report.malformed.first) : '?'
      }: ${report.malformed.message ?? ''}`,
      ''
    )
  const parts = [
    `Movable Ink refuses ${shareText(report.problems)} for a field problem`,
    ...(report.notUseful.count > 0
      ? [`takes ${shareText(report.notUseful)} but cannot use them (a warning says why)`]
      : []),
    `${shareText(report.unmapped)} unmapped`,
    ...(report.notForMovableInk.count > 0
      ? [`${shareText(report.notForMovableInk)} not for Movable Ink (on purpose)`]
      : []),
    `Segment's side refuses ${shareText(report.segmentRefused)}`,
    `${shareText(report.notSubscribed)} not subscribed`
  ]
  lines.push(`${parts.join(', ')}.`)
  lines.push(headline(report))
  return lines
}

/**
 * The useful share: of the events meant for Movable Ink when the endpoint file leaves some out on purpose (an
 * SA's decision is not the customer's failure), with the share of every event beside it.
 */
export function headline(report: CoverageReport): string {
  const all = `${countText(report.useful)} of ${number(report.read)} events (${shareText(report.useful)})`
  if (report.notForMovableInk.count === 0) return `Would reach Movable Ink usefully: ${all}.`
  const meant = report.usefulOfMeant
  return `Would reach Movable Ink usefully: ${shareText(meant)} of the events meant for it (${countText(
    report.notForMovableInk
  )} left out on purpose as not for Movable Ink); of every event read: ${all}.`
}
