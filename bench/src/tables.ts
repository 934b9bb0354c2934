/**
 * The tables the benchmark prints (and bench/README.md shows): the contenders and `send`, then the targets
 * and the context ratios, then where the CPU per event goes.
 */
import { CONTENDER_IDS, MB } from './results'
import type { BackfillResult, ContenderResult, CostSplit, Results, SendResult, Target } from './results'

function fmtNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-'
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

function fmtMet(met: boolean | null): string {
  return met === null ? 'n/a' : met ? 'yes' : 'NO'
}

/** A Markdown table (readable in a terminal too). */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ') + ' |'
  return [line(header), '| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |', ...rows.map(line)].join('\n')
}

const CONTENDER_HEADER = [
  'contender',
  'events/s',
  'p50 ms',
  'p99 ms',
  'CPU µs/event',
  'peak RSS MB',
  'idle RSS MB',
  'failed'
]

function contenderRow(c: ContenderResult): string[] {
  return [
    c.label,
    fmtNumber(c.eventsPerSecond),
    fmtNumber(c.p50Ms, 2),
    fmtNumber(c.p99Ms, 2),
    fmtNumber(c.cpuUsPerEvent, 1),
    fmtNumber(c.peakRssBytes / MB, 1),
    fmtNumber(c.baselineRssBytes / MB, 1),
    fmtNumber(c.failed)
  ]
}

/** A `send` run in the contenders' table: no latencies (it measures none) and no idle RSS. */
function sendRow(send: SendResult): string[] {
  if (send.status !== 'ok') return sendNotRunRow(send)
  const journal = send.journal === undefined ? '' : send.journal ? ', journal' : ', no journal'
  const perRequest = send.batch ? `batch ${send.batch}` : '1 event/request'
  return [
    `movable-ink send (${fmtNumber(send.events)} events, ${perRequest}${journal})`,
    fmtNumber(send.eventsPerSecond),
    '-',
    '-',
    fmtNumber(send.cpuUsPerEvent, 1),
    fmtNumber((send.peakRssBytes ?? NaN) / MB, 1),
    '-',
    fmtNumber(Number(send.summary?.failed ?? NaN))
  ]
}

/** A skipped or failed `send`: why, in a word or two (the full reason is printed before the tables). */
function sendNotRunRow(send: SendResult): string[] {
  const what =
    send.status === 'skipped' ? (send.reason ?? 'send: skipped').replace(/^send: /, '').replace(/ \(.*$/, '') : 'failed'
  return [
    `movable-ink send${send.batch ? ` --batch ${send.batch}` : ''}: ${what}`,
    ...CONTENDER_HEADER.slice(1).fill('-')
  ]
}

/** The backfill's row: a `send` row, named as the backfill with its input. */
function backfillRow(backfill: BackfillResult): string[] {
  const row = sendRow(backfill)
  row[0] = row[0].replace(/^movable-ink send/, `backfill: movable-ink send (${backfill.input ?? 'jsonl'})`)
  return row
}

function contenderTable(results: Results): string {
  const rows = CONTENDER_IDS.filter((id) => results.contenders[id]).map((id) =>
    contenderRow(results.contenders[id] as ContenderResult)
  )
  for (const send of [results.send, results.sendNoJournal, results.sendBatched]) if (send) rows.push(sendRow(send))
  if (results.backfill) rows.push(backfillRow(results.backfill))
  return markdownTable(CONTENDER_HEADER, rows)
}

function targetRow(t: Target): string[] {
  return [t.name, fmtNumber(t.value, t.name.includes('MB') ? 1 : 2), t.target, fmtMet(t.met)]
}

/** A figure with no target, shown to read the targets by. */
function contextRow(name: string, value: number | null | undefined): string[] {
  return [name, fmtNumber(value, 2), '-', '-']
}

function contextRows(results: Results): string[][] {
  const { ratios, send, sendNoJournal } = results
  const rows = [
    contextRow('reference / bare loop (events/s, context)', ratios.reference_vs_limit),
    contextRow('request client / bare loop (events/s, context)', ratios.client_vs_limit)
  ]
  const backfill = results.backfill
  if (backfill?.eventsPerSecond && backfill.batchedEventsPerSecondAfter) {
    const name = 'backfill / batched round right after it (context)'
    rows.push(contextRow(name, backfill.eventsPerSecond / backfill.batchedEventsPerSecondAfter))
  }
  const batchedCpu = results.contenders.batched?.cpuUsPerEvent
  if (backfill?.cpuUsPerEvent && batchedCpu) {
    const name = 'backfill CPU/event / batched CPU/event (context, lower is better)'
    rows.push(contextRow(name, backfill.cpuUsPerEvent / batchedCpu))
  }
  const after = send.projectEventsPerSecondAfterSend
  if (send.status === 'ok' && after && send.eventsPerSecond)
    rows.push(contextRow('send / project round right after it (context)', send.eventsPerSecond / after))
  if (send.cpuUsPerEvent && sendNoJournal?.status === 'ok' && sendNoJournal.cpuUsPerEvent) {
    const name = 'send CPU/event with the journal / without (context, lower is better)'
    rows.push(contextRow(name, send.cpuUsPerEvent / sendNoJournal.cpuUsPerEvent))
  }
  const projectCpu = results.contenders.project?.cpuUsPerEvent
  if (send.status === 'ok' && send.cpuUsPerEvent && projectCpu) {
    const name = 'send CPU/event / project CPU/event (context, lower is better)'
    rows.push(contextRow(name, send.cpuUsPerEvent / projectCpu))
  }
  return rows
}

function figureTable(results: Results): string {
  const rows = [...results.targets.map(targetRow), ...contextRows(results)]
  return markdownTable(['ratio / figure', 'value', 'target', 'met?'], rows)
}

function costSplitLine(split: CostSplit): string {
  const us = (value: number | null) => fmtNumber(value, 1)
  const parts = [
    `bare loop (HTTP client + loopback) ${us(split.httpClientUs)}`,
    `+ actions-core request client ${us(split.requestClientUs)}`,
    `+ Destination runtime (dispatch, mapping, validation, responses) ${us(split.destinationUs)}` +
      ` (of which dispatch without a request, in-process: ${us(split.runtimeDispatchUs)})`,
    `project - reference ${us(split.projectMinusReferenceUs)}`,
    `our checks in isolation ${us(split.checksUs)}`,
    `our batch work per event (stringify included) ${us(split.batchOwnUs)}`
  ]
  return `CPU per event (µs, medians over rounds): ${parts.join('; ')}`
}

export function formatTables(results: Results): string {
  const split = results.costSplit ? `\n\n${costSplitLine(results.costSplit)}` : ''
  return `${contenderTable(results)}\n\n${figureTable(results)}${split}`
}
