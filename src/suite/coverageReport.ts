import type { Skipped } from '../events/skippedInputs'
import { makesNotUseful } from '../preview/warningCodes'
import type { WarningCode } from '../preview/warningCodes'
import type { Counted, EventGroup, FieldCounts, Place, TallyData } from './coverageTally'
import { groupLabel } from './coverageTally'

/**
 * The coverage report: the tally as shares, sorted for reading. With sampling, every share carries its 95%
 * interval (Wilson's score interval, which stays honest for shares near 0 or 1 where the normal
 * approximation gives a width of zero, with the finite-population correction: at a rate of 1 the interval
 * closes on the share itself) and every count its estimate over all the events read.
 */

export interface Estimate {
  /** Among the events evaluated. */
  count: number
  /** Of its whole (all events, or the events of its group). */
  share: number
  /** The 95% interval of the share, when the events were sampled. */
  low?: number
  high?: number
  /** The count scaled to every event read, when sampled. */
  estimated?: number
}

export interface Where {
  file: string
  line: number
}

export interface CountedItem {
  what: string
  count: Estimate
  first: Where
  message?: string
}

/** A warning's code (`what`), how many mapped events carry it, and whether it leaves them not useful. */
export interface WarningItem extends CountedItem {
  notUseful: boolean
}

export interface FieldReport {
  mapping: string
  field: string
  path: string
  required: boolean
  missing?: CountedItem
  mistyped?: CountedItem
  empty?: CountedItem
}

/** What became of events, as shares: of a group's own events, or of all evaluated. */
export interface Outcomes {
  useful: Estimate
  problems: Estimate
  /** Mapped without a problem, but with a warning that leaves Movable Ink unable to use it (see `warnings`). */
  notUseful: Estimate
  unmapped: Estimate
  notForMovableInk: Estimate
  segmentRefused: Estimate
  notSubscribed: Estimate
}

/** An event name's (or type's) outcomes: shares of the group's own events. */
export interface GroupReport extends Outcomes {
  label: string
  type: string
  name?: string
  /** Its share of all events evaluated. */
  events: Estimate
  first: Where
  mapped: { mapping: string; count: Estimate }[]
  segmentRules: CountedItem[]
  reasons: CountedItem[]
  /** The reasons events were left out on purpose (`what`), each with the decision's words as its message. */
  decisions: CountedItem[]
  /** The warnings on its mapped events, by code, the same as preview and the studio give. */
  warnings: WarningItem[]
  fields: FieldReport[]
}

/** The outcomes are shares of every event evaluated. */
export interface CoverageReport extends Outcomes {
  files: string[]
  /** Each input with the events (lines) read from it; which endpoint file; when the report was made (ISO 8601). */
  inputs: { file: string; events: number }[]
  endpointFile: string
  madeAt: string
  /** Events (lines) read, sampled or not. */
  read: number
  evaluated: number
  sampling?: { rate: number; seed: number }
  interrupted?: boolean
  /**
   * The useful share of the events Movable Ink is meant to get: all evaluated but those the endpoint file says
   * are not for Movable Ink. The headline, when there are such events.
   */
  usefulOfMeant: Estimate
  malformed: Estimate & { first?: Where; message?: string }
  events: GroupReport[]
  /** What the input folders held that is not events (other files), not read. */
  skipped?: Skipped[]
}

const Z = 1.96

/** x of n evaluated, when that is the share `fraction` of the whole (1: everything was evaluated). */
export function estimate(x: number, n: number, fraction: number): Estimate {
  const share = n === 0 ? 0 : x / n
  if (fraction >= 1 || n === 0) return { count: x, share }
  const effective = n / (1 - fraction)
  const z2 = Z * Z
  const denominator = 1 + z2 / effective
  const center = (share + z2 / (2 * effective)) / denominator
  const half = (Z * Math.sqrt((share * (1 - share)) / effective + z2 / (4 * effective * effective))) / denominator
  return {
    count: x,
    share,
    low: Math.max(0, center - half),
    high: Math.min(1, center + half),
    estimated: Math.round(x / fraction)
  }
}

function byCount<T>(list: T[], count: (t: T) => number, name: (t: T) => string): T[] {
  return list.sort((a, b) => count(b) - count(a) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0))
}

type Total = 'useful' | 'problems' | 'notUseful' | 'unmapped' | 'notForMovableInk' | 'segmentRefused' | 'notSubscribed'

type ReportContext = Pick<CoverageReport, 'inputs' | 'endpointFile' | 'madeAt'> & {
  files: string[]
  read: number
  sampling?: { rate: number; seed: number }
  interrupted?: boolean
  skipped?: Skipped[]
}

/** The tally's counts as estimates of the whole: every share over the evaluated events, scaled by the sample. */
class ReportParts {
  readonly fraction: number

  constructor(private readonly files: string[], readonly read: number, readonly evaluated: number) {
    this.fraction = read === 0 ? 1 : evaluated / read
  }

  where(p: Place): Where {
    return { file: this.files[p.file] ?? '', line: p.line }
  }

  item(what: string, c: Counted, n: number): CountedItem {
    const count = estimate(c.count, n, this.fraction)
    return { what, count, first: this.where(c.first), ...(c.message === undefined ? {} : { message: c.message }) }
  }

  items(record: Record<string, Counted>, n: number): CountedItem[] {
    return byCount(
      Object.entries(record).map(([what, c]) => this.item(what, c, n)),
      (i) => i.count.count,
      (i) => i.what
    )
  }

  /** A group's warnings by code, those that leave events not useful first. */
  warnings(g: EventGroup): WarningItem[] {
    const items = this.items(g.warnings, g.count).map((w) => ({
      ...w,
      notUseful: makesNotUseful(w.what as WarningCode)
    }))
    return [...items.filter((w) => w.notUseful), ...items.filter((w) => !w.notUseful)]
  }

  fieldReport(f: FieldCounts, n: number): FieldReport {
    const report: FieldReport = { mapping: f.mapping, field: f.field, path: f.path, required: f.required }
    for (const kind of ['missing', 'mistyped', 'empty'] as const) {
      const counted = f[kind]
      if (counted) report[kind] = this.item(kind, counted, n)
    }
    return report
  }

  groupReport(g: EventGroup): GroupReport {
    const within = (x: number) => estimate(x, g.count, this.fraction)
    return {
      label: groupLabel(g),
      type: g.type,
      ...(g.name === undefined ? {} : { name: g.name }),
      events: estimate(g.count, this.evaluated, this.fraction),
      first: this.where(g.first),
      useful: within(g.useful),
      problems: within(g.problems),
      notUseful: within(g.notUseful),
      unmapped: within(g.unmapped),
      notForMovableInk: within(g.notForMovableInk),
      segmentRefused: within(g.segmentRefused),
      notSubscribed: within(g.notSubscribed),
      mapped: byCount(
        Object.entries(g.mapped).map(([mapping, n]) => ({ mapping, count: within(n) })),
        (m) => m.count.count,
        (m) => m.mapping
      ),
      segmentRules: this.items(g.segmentRules, g.count),
      reasons: this.items(g.reasons, g.count),
      decisions: this.items(g.decisions, g.count),
      warnings: this.warnings(g),
      fields: Object.values(g.fields)
        .map((f) => this.fieldReport(f, g.count))
        .sort((a, b) => (a.mapping + a.field < b.mapping + b.field ? -1 : 1))
    }
  }

  sum(groups: EventGroup[], key: Total): number {
    return groups.reduce((n, g) => n + g[key], 0)
  }

  total(groups: EventGroup[], key: Total): Estimate {
    return estimate(this.sum(groups, key), this.evaluated, this.fraction)
  }

  /** The useful events among those meant for Movable Ink (every evaluated one but those left out on purpose). */
  usefulOfMeant(groups: EventGroup[]): Estimate {
    const meant = this.evaluated - this.sum(groups, 'notForMovableInk')
    return estimate(this.sum(groups, 'useful'), meant, this.fraction)
  }
}

export function buildReport(tally: TallyData, context: ReportContext): CoverageReport {
  const parts = new ReportParts(context.files, context.read, tally.evaluated)
  const groups = Object.values(tally.groups)
  const malformed = tally.malformed
  return {
    files: context.files,
    inputs: context.inputs,
    endpointFile: context.endpointFile,
    madeAt: context.madeAt,
    read: context.read,
    evaluated: tally.evaluated,
    ...(context.sampling ? { sampling: context.sampling } : {}),
    ...(context.interrupted ? { interrupted: true } : {}),
    useful: parts.total(groups, 'useful'),
    usefulOfMeant: parts.usefulOfMeant(groups),
    problems: parts.total(groups, 'problems'),
    notUseful: parts.total(groups, 'notUseful'),
    unmapped: parts.total(groups, 'unmapped'),
    notForMovableInk: parts.total(groups, 'notForMovableInk'),
    segmentRefused: parts.total(groups, 'segmentRefused'),
    notSubscribed: parts.total(groups, 'notSubscribed'),
    malformed: {
      ...estimate(malformed?.count ?? 0, tally.evaluated, parts.fraction),
      ...(malformed ? { first: parts.where(malformed.first), message: malformed.message } : {})
    },
    events: byCount(
      groups.map((g) => parts.groupReport(g)),
      (g) => g.events.count,
      (g) => g.label
    ),
    ...(context.skipped?.length ? { skipped: context.skipped } : {})
  }
}
