/**
 * The benchmark's pure parts: percentiles, medians, ratios, targets, the results file and the table. Nothing
 * here times anything or starts a process, so it is unit-tested (test/bench/).
 */
import { writeFileSync } from 'fs'

export const CONTENDER_IDS = ['reference', 'project', 'batched', 'limit', 'client'] as const
export type ContenderId = typeof CONTENDER_IDS[number]

/** What one contender measured in one round. */
export interface RoundFigures {
  round: number
  events: number
  requests: number
  failed: number
  elapsedMs: number
  eventsPerSecond: number
  p50Ms: number
  p99Ms: number
  /** CPU time (user + system) of the contender process during the round, per event. */
  cpuUsPerEvent: number
}

export interface ContenderResult {
  label: string
  description: string
  /** Median over the rounds. */
  eventsPerSecond: number
  p50Ms: number
  p99Ms: number
  cpuUsPerEvent: number
  /** The contender process's peak resident set size (its own getrusage maxrss), over all its rounds. */
  peakRssBytes: number
  /** Its resident set size once everything was loaded and the events built, before the first request. */
  baselineRssBytes: number
  events: number
  failed: number
  /** TCP connections the receiver accepted from this contender during its rounds (minimal receiver only). */
  connectionsOpened?: number
  /** The receiver's CPU per request while this contender ran, and its share of one core (1 = saturated). */
  receiverCpuUsPerRequest?: number
  receiverCpuShare?: number
  rounds: RoundFigures[]
}

export interface SendResult {
  status: 'ok' | 'skipped' | 'failed'
  reason?: string
  events?: number
  fileBytes?: number
  concurrency?: number
  batch?: number
  receiver?: string
  wallMs?: number
  /** events / wall time of the `send` process, as measured here. */
  eventsPerSecond?: number
  /** CPU time (user + system) of the `send` process per event, polled from /proc/<pid>/stat every 50 ms. */
  cpuUsPerEvent?: number
  /** Peak RSS of the `send` process, polled from /proc/<pid>/status (VmHWM). */
  peakRssBytes?: number
  /** What `send --summary-json` wrote. */
  summary?: Record<string, unknown>
  /** One project round run right after the send, for the drift while it ran alone (not interleaved). */
  projectEventsPerSecondAfterSend?: number
  /** Whether `send` kept its delivery journal (its default) or ran with --no-journal. */
  journal?: boolean
}

export interface Target {
  name: string
  value: number | null
  target: string
  met: boolean | null
}

export interface Machine {
  cpuModel: string
  cores: number
  node: string
  platform: string
  arch: string
  totalMemoryBytes: number
}

export interface Results {
  generatedAt: string
  command: string
  quick: boolean
  machine: Machine
  config: Record<string, unknown>
  contenders: Partial<Record<ContenderId, ContenderResult>>
  ratios: {
    project_vs_reference: number | null
    batched_vs_reference: number | null
    project_vs_limit: number | null
    reference_vs_limit: number | null
    client_vs_limit: number | null
  }
  send: SendResult
  /** `send --no-journal` of the same file, right after `send`: the journal's cost. */
  sendNoJournal?: SendResult
  /** `send --batch N` of the same file: context, no target. */
  sendBatched?: SendResult
  targets: Target[]
  /** Our own per-event work measured in-process (bench/src/breakdown.ts). */
  breakdown?: {
    stringifyUs: number
    projectSingleUs: number
    projectBatchUs: number
    checksUs: number
    runtimeDispatchUs?: number
    endpointModel?: {
      jqLoadMs: number
      compileMs: number
      singleUs: number
      batchUs: number
      mappedShare: number
    }
  }
  /** CPU per event, split by who spends it (see costSplit). */
  costSplit?: CostSplit
  notes: string[]
}

export interface CostSplit {
  /** The bare loop's CPU per event: the HTTP client (node-fetch over node:http) and the kernel's loopback. */
  httpClientUs: number | null
  /** The reference's CPU per event minus the bare loop's: what actions-core's runtime adds (the reference's own code is one call). */
  runtimeUs: number | null
  /** Of runtimeUs, actions-core's request client around the same fetch (contender 5 minus the bare loop). */
  requestClientUs: number | null
  /** Of runtimeUs, the rest: Destination.onEvent's dispatch, mapping, validation and response handling (reference minus contender 5). */
  destinationUs: number | null
  /** In-process: Destination.onEvent with a perform that sends nothing (part of destinationUs). */
  runtimeDispatchUs: number | null
  /** This project's CPU per event minus the reference's, measured end to end (noisy: tens of µs either way). */
  projectMinusReferenceUs: number | null
  /** In-process micro-measurement of our checks (URL, requirements, headers, size) beyond the one JSON.stringify. */
  checksUs: number | null
  /** The same for batching: our per-event work in sendBatch besides the request (stringify included). */
  batchOwnUs: number | null
}

/** Who spends the CPU per event: the HTTP client, the actions-core runtime, our code. */
export function computeCostSplit(
  contenders: Results['contenders'],
  micro?: { checksUs: number; projectBatchUs: number; runtimeDispatchUs?: number }
): CostSplit {
  const cpu = (id: ContenderId) => contenders[id]?.cpuUsPerEvent ?? null
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : round(a - b, 1))
  return {
    httpClientUs: cpu('limit'),
    runtimeUs: diff(cpu('reference'), cpu('limit')),
    requestClientUs: diff(cpu('client'), cpu('limit')),
    destinationUs: diff(cpu('reference'), cpu('client')),
    runtimeDispatchUs: micro?.runtimeDispatchUs ?? null,
    projectMinusReferenceUs: diff(cpu('project'), cpu('reference')),
    checksUs: micro ? micro.checksUs : null,
    batchOwnUs: micro ? micro.projectBatchUs : null
  }
}

/** Nearest-rank percentile (p in 0..100) of `values`; NaN for no values. Does not modify `values`. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const n = values.length
  if (n === 0) return NaN
  const sorted = Float64Array.from(values).sort()
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * n)
  return sorted[Math.min(n, Math.max(1, rank)) - 1]
}

/** Median of `values` (mean of the two middle ones for an even count); NaN for none. */
export function median(values: ArrayLike<number>): number {
  const n = values.length
  if (n === 0) return NaN
  const sorted = Float64Array.from(values).sort()
  const mid = Math.floor(n / 2)
  return n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * How many times faster `ours` is than `theirs`, in events per second (higher is better for `ours`): the
 * median of the per-round ratios, so that each ratio compares two runs from the same round (same drift).
 * Null when either side has no usable round.
 */
export function pairedRatio(ours: RoundFigures[] | undefined, theirs: RoundFigures[] | undefined): number | null {
  if (!ours || !theirs) return null
  const byRound = new Map(theirs.map((r) => [r.round, r.eventsPerSecond]))
  const ratios: number[] = []
  for (const r of ours) {
    const other = byRound.get(r.round)
    if (other !== undefined && other > 0 && Number.isFinite(r.eventsPerSecond)) ratios.push(r.eventsPerSecond / other)
  }
  return ratios.length ? round(median(ratios), 3) : null
}

/** Contender order for round `r` (0-based): rotated by one each round, so that no contender always goes first. */
export function roundOrder<T>(ids: readonly T[], r: number): T[] {
  const k = r % ids.length
  return [...ids.slice(k), ...ids.slice(0, k)]
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** One contender's figures from its rounds (medians over the rounds) and its process's memory. */
export function summarizeContender(
  label: string,
  description: string,
  rounds: RoundFigures[],
  peakRssBytes: number,
  baselineRssBytes: number
): ContenderResult {
  return {
    label,
    description,
    eventsPerSecond: round(median(rounds.map((r) => r.eventsPerSecond)), 0),
    p50Ms: round(median(rounds.map((r) => r.p50Ms)), 2),
    p99Ms: round(median(rounds.map((r) => r.p99Ms)), 2),
    cpuUsPerEvent: round(median(rounds.map((r) => r.cpuUsPerEvent)), 1),
    peakRssBytes,
    baselineRssBytes,
    events: rounds.reduce((sum, r) => sum + r.events, 0),
    failed: rounds.reduce((sum, r) => sum + r.failed, 0),
    rounds
  }
}

export function computeRatios(contenders: Results['contenders']): Results['ratios'] {
  const rounds = (id: ContenderId) => contenders[id]?.rounds
  return {
    project_vs_reference: pairedRatio(rounds('project'), rounds('reference')),
    batched_vs_reference: pairedRatio(rounds('batched'), rounds('reference')),
    project_vs_limit: pairedRatio(rounds('project'), rounds('limit')),
    reference_vs_limit: pairedRatio(rounds('reference'), rounds('limit')),
    client_vs_limit: pairedRatio(rounds('client'), rounds('limit'))
  }
}

/** Megabytes as the issue counts them: 10^6 bytes (so "under 250 MB" is under 250,000,000 bytes). */
const MB = 1_000_000
export const SEND_RSS_LIMIT_BYTES = 250 * MB

function atLeast(value: number | null | undefined, min: number): boolean | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value >= min
}

/** The issue's targets, each with the measured value and whether it was met (null: not measured). */
export function evaluateTargets(
  results: Pick<Results, 'ratios' | 'send' | 'contenders'> & Partial<Pick<Results, 'sendNoJournal'>>
): Target[] {
  const { ratios, send, contenders, sendNoJournal } = results
  const sendOk = send.status === 'ok'
  const sendRss = sendOk && send.peakRssBytes !== undefined ? send.peakRssBytes : null
  const sendEps = sendOk && send.eventsPerSecond !== undefined ? send.eventsPerSecond : null
  const runtimeEps = contenders.project?.eventsPerSecond ?? null
  const withoutJournalEps = sendNoJournal?.status === 'ok' ? sendNoJournal.eventsPerSecond ?? null : null
  const journalRatio = sendEps === null || !withoutJournalEps ? null : round(sendEps / withoutJournalEps, 2)
  return [
    {
      name: 'project / reference (events/s)',
      value: ratios.project_vs_reference,
      target: '>= 0.95x',
      met: atLeast(ratios.project_vs_reference, 0.95)
    },
    {
      name: 'project / bare loop (events/s)',
      value: ratios.project_vs_limit,
      target: '>= 0.80x',
      met: atLeast(ratios.project_vs_limit, 0.8)
    },
    {
      name: 'batched(100) / reference (events/s)',
      value: ratios.batched_vs_reference,
      target: '>= 20x',
      met: atLeast(ratios.batched_vs_reference, 20)
    },
    {
      name: 'send: peak RSS (MB)',
      value: sendRss === null ? null : round(sendRss / MB, 1),
      target: '< 250 MB',
      met: sendRss === null ? null : sendRss < SEND_RSS_LIMIT_BYTES
    },
    {
      name: 'send: events/s vs project one-per-request',
      value: sendEps === null || !runtimeEps ? null : round(sendEps / runtimeEps, 2),
      target: '>= 1.00x',
      met: sendEps === null || !runtimeEps ? null : sendEps >= runtimeEps
    },
    {
      name: 'send: events/s with the journal / without',
      value: journalRatio,
      target: '>= 0.90x',
      met: atLeast(journalRatio, 0.9)
    }
  ]
}

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

/** The tables the benchmark prints (and the README shows). */
export function formatTables(results: Results): string {
  const contenderRows = CONTENDER_IDS.filter((id) => results.contenders[id]).map((id) => {
    const c = results.contenders[id] as ContenderResult
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
  })
  for (const send of [results.send, results.sendNoJournal, results.sendBatched]) {
    if (!send) continue
    if (send.status === 'ok') {
      const journal = send.journal === undefined ? '' : send.journal ? ', journal' : ', no journal'
      contenderRows.push([
        `movable-ink send (${fmtNumber(send.events)} events, ${
          send.batch ? `batch ${send.batch}` : '1 event/request'
        }${journal})`,
        fmtNumber(send.eventsPerSecond),
        '-',
        '-',
        fmtNumber(send.cpuUsPerEvent, 1),
        fmtNumber((send.peakRssBytes ?? NaN) / MB, 1),
        '-',
        fmtNumber(Number(send.summary?.failed ?? NaN))
      ])
    } else {
      const what =
        send.status === 'skipped'
          ? (send.reason ?? 'send: skipped').replace(/^send: /, '').replace(/ \(.*$/, '')
          : 'failed'
      contenderRows.push([
        `movable-ink send${send.batch ? ` --batch ${send.batch}` : ''}: ${what}`,
        '-',
        '-',
        '-',
        '-',
        '-',
        '-',
        '-'
      ])
    }
  }
  const contenders = markdownTable(
    ['contender', 'events/s', 'p50 ms', 'p99 ms', 'CPU µs/event', 'peak RSS MB', 'idle RSS MB', 'failed'],
    contenderRows
  )
  const ratioRows = results.targets.map((t) => [
    t.name,
    fmtNumber(t.value, t.name.includes('MB') ? 1 : 2),
    t.target,
    fmtMet(t.met)
  ])
  ratioRows.push([
    'reference / bare loop (events/s, context)',
    fmtNumber(results.ratios.reference_vs_limit, 2),
    '-',
    '-'
  ])
  ratioRows.push([
    'request client / bare loop (events/s, context)',
    fmtNumber(results.ratios.client_vs_limit, 2),
    '-',
    '-'
  ])
  const after = results.send.projectEventsPerSecondAfterSend
  if (results.send.status === 'ok' && after && results.send.eventsPerSecond) {
    ratioRows.push([
      'send / project round right after it (context)',
      fmtNumber(results.send.eventsPerSecond / after, 2),
      '-',
      '-'
    ])
  }
  const noJournal = results.sendNoJournal
  if (results.send.cpuUsPerEvent && noJournal?.status === 'ok' && noJournal.cpuUsPerEvent) {
    ratioRows.push([
      'send CPU/event with the journal / without (context, lower is better)',
      fmtNumber(results.send.cpuUsPerEvent / noJournal.cpuUsPerEvent, 2),
      '-',
      '-'
    ])
  }
  const projectCpu = results.contenders.project?.cpuUsPerEvent
  if (results.send.status === 'ok' && results.send.cpuUsPerEvent && projectCpu) {
    ratioRows.push([
      'send CPU/event / project CPU/event (context, lower is better)',
      fmtNumber(results.send.cpuUsPerEvent / projectCpu, 2),
      '-',
      '-'
    ])
  }
  const targets = markdownTable(['ratio / figure', 'value', 'target', 'met?'], ratioRows)
  const split = results.costSplit
  const splitText = split
    ? '\n\nCPU per event (µs, medians over rounds): bare loop (HTTP client + loopback) ' +
      fmtNumber(split.httpClientUs, 1) +
      '; + actions-core request client ' +
      fmtNumber(split.requestClientUs, 1) +
      '; + Destination runtime (dispatch, mapping, validation, responses) ' +
      fmtNumber(split.destinationUs, 1) +
      ` (of which dispatch without a request, in-process: ${fmtNumber(split.runtimeDispatchUs, 1)})` +
      '; project - reference ' +
      fmtNumber(split.projectMinusReferenceUs, 1) +
      '; our checks in isolation ' +
      fmtNumber(split.checksUs, 1) +
      '; our batch work per event (stringify included) ' +
      fmtNumber(split.batchOwnUs, 1)
    : ''
  return `${contenders}\n\n${targets}${splitText}`
}

export function writeResults(path: string, results: Results): void {
  writeFileSync(path, JSON.stringify(results, null, 2) + '\n')
}
