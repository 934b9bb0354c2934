/**
 * What the figures are held against: the targets, and who spends the CPU per event.
 */
import { MB } from './results'
import type { BackfillResult, ContenderId, CostSplit, Results, SendResult, Target } from './results'
import { round } from './stats'

export const SEND_RSS_LIMIT_BYTES = 250 * MB

function atLeast(value: number | null | undefined, min: number): boolean | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value >= min
}

function ratioTarget(name: string, value: number | null, min: number, target: string): Target {
  return { name, value, target, met: atLeast(value, min) }
}

/** The targets on the contenders' per-round ratios. */
function ratioTargets(ratios: Results['ratios']): Target[] {
  return [
    ratioTarget('project / reference (events/s)', ratios.project_vs_reference, 0.95, '>= 0.95x'),
    ratioTarget('project / bare loop (events/s)', ratios.project_vs_limit, 0.8, '>= 0.80x'),
    ratioTarget('batched(100) / reference (events/s)', ratios.batched_vs_reference, 20, '>= 20x')
  ]
}

/** The targets on `movable-ink send`: its memory, its speed against the runtime, the journal's cost. */
function sendTargets(send: SendResult, runtimeEps: number | null, sendNoJournal?: SendResult): Target[] {
  const sendOk = send.status === 'ok'
  const sendRss = sendOk && send.peakRssBytes !== undefined ? send.peakRssBytes : null
  const sendEps = sendOk && send.eventsPerSecond !== undefined ? send.eventsPerSecond : null
  const withoutJournalEps = sendNoJournal?.status === 'ok' ? sendNoJournal.eventsPerSecond ?? null : null
  const journalRatio = sendEps === null || !withoutJournalEps ? null : round(sendEps / withoutJournalEps, 2)
  return [
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
    ratioTarget('send: events/s with the journal / without', journalRatio, 0.9, '>= 0.90x')
  ]
}

function atMost(name: string, value: number | null | undefined, max: number, target: string): Target {
  const known = value === null || value === undefined || !Number.isFinite(value) ? null : value
  return { name, value: known, target, met: known === null ? null : known <= max }
}

/** The targets on Movable Ink's side: jq per event, the stand-in with event mappings, the studio, coverage. */
function movableInkTargets(figures: Partial<Pick<Results, 'movableInk' | 'coverage'>>): Target[] {
  const { jq, standIn, studio } = figures.movableInk ?? {}
  const coverage = figures.coverage
  const rssMb = coverage?.peakRssBytes === undefined ? null : round(coverage.peakRssBytes / MB, 1)
  return [
    atMost('jq: µs per lone event', jq?.loneEventUs, 500, '<= 500'),
    atMost('jq: µs per event in runs of 100', jq?.per100Us, 200, '<= 200'),
    ratioTarget('stand-in req/s with event mappings / --no-endpoint', standIn?.ratio ?? null, 0.5, '>= 0.50x'),
    atMost('studio: re-check of 1,000 events (ms)', studio?.recheckMs, 300, '<= 300'),
    atMost('studio: an edit shown, 1,000 events (ms, match edit)', studio?.matchEditMs, 300, '<= 300'),
    atMost('studio: answer per edit (KB)', studio ? round(studio.editBytes / 1000, 1) : null, 500, '< 500'),
    atMost('studio: selecting an event (ms)', studio?.selectMs, 100, '< 100'),
    ratioTarget('test --coverage: events/s', coverage?.eventsPerSecond ?? null, 3000, '>= 3000'),
    atMost('test --coverage: peak RSS (MB)', rssMb, 300, '< 300 MB')
  ]
}

/** The backfill's targets: its speed against the batched contender (same run, same receiver), memory, resume. */
function backfillTargets(backfill?: BackfillResult): Target[] {
  if (!backfill) return []
  const ok = backfill.status === 'ok'
  const rss = ok && backfill.peakRssBytes !== undefined ? round(backfill.peakRssBytes / MB, 1) : null
  const resumed = backfill.resume?.complete
  return [
    ratioTarget(
      'backfill: send --batch / batched contender (events/s)',
      backfill.ratioToBatched ?? null,
      0.8,
      '>= 0.80x'
    ),
    { name: 'backfill: peak RSS (MB)', value: rss, target: '< 250 MB', met: rss === null ? null : rss < 250 },
    {
      name: 'backfill: resumable (events done per its journal / events)',
      value: backfill.resume && backfill.events ? round(backfill.resume.alreadyDone / backfill.events, 3) : null,
      target: '1.00, none sent again',
      met: resumed === undefined ? null : resumed
    }
  ]
}

/** The targets, each with the measured value and whether it was met (null: not measured). */
export function evaluateTargets(
  results: Pick<Results, 'ratios' | 'send' | 'contenders'> &
    Partial<Pick<Results, 'sendNoJournal' | 'movableInk' | 'coverage' | 'backfill'>>
): Target[] {
  const runtimeEps = results.contenders.project?.eventsPerSecond ?? null
  return [
    ...ratioTargets(results.ratios),
    ...sendTargets(results.send, runtimeEps, results.sendNoJournal),
    ...backfillTargets(results.backfill),
    ...movableInkTargets(results)
  ]
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
