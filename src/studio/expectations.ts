import { basename, resolve } from 'path'
import { InputError, listInputs } from '../events/inputFiles'
import { fileVersion } from '../io/safeWrite'
import type { InputList } from '../events/inputFiles'
import type { InputItem } from '../events/items'
import type { PreviewItem } from '../preview/previewTypes'
import type { SubscriptionSpec } from '../runtime/subscriptions'
import {
  checkEvent,
  differenceText,
  expectedPathOf,
  findSamples,
  isExpected,
  leftoverName,
  readExpectedFile,
  SuiteError
} from '../suite'
import type { Difference, Expectation, SampleFile } from '../suite'
import type { SuiteState } from './vocabulary'

/**
 * The studio's side of `movable-ink test`'s suites: an event loaded from a file is a sample event, compared
 * after every check with its entry in the expected file beside that file (`<name>.expected.json`, the suite
 * format of docs/test.md), by the suite library's own checkEvent, so the page says what `movable-ink test`
 * would say. Pasted and dropped events have no file: they have no expectation until they are saved into one.
 */

/** Where an event loaded from a file stands in the suite: its sample file and its position there (from 0). */
export interface SuiteSpot {
  samplePath: string
  expectedPath: string
  index: number
}

/** A sample file as the studio loaded it. */
export interface LoadedSample {
  /** Absolute paths. */
  file: SampleFile
  /** How many items the file holds (its events, and any piece that is not one), and the line of each. */
  lines: number[]
  /** Its pieces that are not events, in the suite's words: such a file is no sample until they are fixed. */
  notEvents: string[]
  /** The expected file's entries; undefined while there is none. */
  expectations?: Expectation[]
}

export type { SuiteState } from './vocabulary'

/** An event against its expectation; differences only when it differs. */
export interface EventSuite {
  state: SuiteState
  differences: Difference[]
}

/** The suite's part of a check: per event (parallel to the items), the counts, and entries without an event. */
export interface SuiteCheck {
  events: EventSuite[]
  matched: number
  differ: number
  none: number
  /** Entries of expected files past their sample's last event, as `movable-ink test` names them. */
  leftovers: string[]
  /** Why events are not compared at all (several subscriptions). */
  off?: string
  /** The version of each sample and expected file the states come from, for the page to send with a save. */
  versions: Record<string, string | null>
}

const NONE: EventSuite = { state: 'none', differences: [] }

/** `1 matches expected, 2 differ from expected, 6 without expectation`, and entries without an event. */
export function suiteCountsText(suite: Pick<SuiteCheck, 'matched' | 'differ' | 'none' | 'leftovers' | 'off'>): string {
  if (suite.off) return suite.off
  const { matched, differ, none, leftovers } = suite
  const parts = [
    `${matched} match${matched === 1 ? 'es' : ''} expected`,
    `${differ} differ${differ === 1 ? 's' : ''} from expected`,
    `${none} without expectation`
  ]
  if (leftovers.length > 0)
    parts.push(`${leftovers.length} entr${leftovers.length === 1 ? 'y' : 'ies'} of expected files without an event`)
  return parts.join(', ')
}

/** `movable-ink test` takes each event through one subscription; with several, no entry can be said to hold. */
export function suiteOff(subscriptions: SubscriptionSpec[]): string | undefined {
  if (subscriptions.length === 1) return undefined
  return `The studio checks with ${subscriptions.length} subscriptions, and movable-ink test takes each event through one: events are not compared with expected files, nor saved as expected. Start the studio with one subscription (--mapping) for that.`
}

/**
 * The event files of the studio's inputs, as `send` reads them (a folder's expected files are not events, and
 * are skipped with its other files that are not), but in the suite's way: an expected file named on its own
 * stands for its sample, and a file named twice is loaded once.
 */
export function studioInputs(inputs: string[]): InputList {
  if (inputs.length === 0) return { files: [], skipped: [] }
  const given = new Set(inputs)
  const listed = listInputs(inputs)
  const files = listed.files.flatMap((file) => {
    if (file === '-' || !isExpected(file)) return [file]
    return given.has(file) ? findSamples([file]).map((s) => s.path) : []
  })
  if (files.length === 0) throw new InputError(`No event files in ${inputs.join(', ')}: only expected files.`)
  const seen = new Set<string>()
  const once = files.filter((file) => {
    const key = file === '-' ? file : resolve(file)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return { files: once, skipped: listed.skipped }
}

export function notEventText(item: InputItem): string | undefined {
  if (item.kind !== 'malformed') return undefined
  return `${item.source}:${item.line}: is not an event (${item.reason}): fix the sample or remove it.`
}

export class StudioSuite {
  /** By expected file (absolute). */
  readonly samples = new Map<string, LoadedSample>()
  /** The version (io/safeWrite's fileVersion) of each sample and expected file as the studio last read or wrote it. */
  private readonly read = new Map<string, string | null>()

  constructor(readonly off?: string) {}

  /**
   * A file's items as sample events: each one's spot, with the expected file read beside it (a SuiteError, as
   * `movable-ink test` gives, when it is not the format). stdin has no place beside it: no spots.
   */
  load(path: string, items: InputItem[]): (SuiteSpot | undefined)[] {
    if (path === '-') return items.map(() => undefined)
    const file = { path: resolve(path), expectedPath: resolve(expectedPathOf(path)) }
    if (!this.samples.has(file.expectedPath)) {
      // Noted before reading: a change meanwhile makes a save refuse, never pass.
      const [sampleVersion, expectedVersion] = [fileVersion(file.path), fileVersion(file.expectedPath)]
      const problems: string[] = []
      const expectations = readExpectedFile(file.expectedPath, problems)
      if (problems.length > 0) throw new SuiteError(problems)
      const notEvents = items.flatMap((item) => notEventText(item) ?? [])
      this.samples.set(file.expectedPath, { file, lines: items.map((i) => i.line), notEvents, expectations })
      this.read.set(file.path, sampleVersion).set(file.expectedPath, expectedVersion)
    }
    return items.map((_, index) => ({ samplePath: file.path, expectedPath: file.expectedPath, index }))
  }

  /** The versions a save is checked against (saveExpected.ts): what the page's states were made from. */
  versions(): Record<string, string | null> {
    return Object.fromEntries(this.read)
  }

  /** `path` as it is now is what the studio holds (it was just read or written). */
  noteVersion(path: string): void {
    this.read.set(path, fileVersion(path))
  }

  /**
   * Each expected file as it is now, when it changed since it was read (a page's reload: it then shows what is
   * on disk, edited elsewhere or saved by `movable-ink test --update`). One that is no longer the format keeps
   * its entries here, and a save names its mistakes. Sample files are not read again (their events are the
   * studio's list, which only a new start reloads).
   */
  reread(): void {
    for (const sample of this.samples.values()) {
      const path = sample.file.expectedPath
      const now = fileVersion(path)
      if (now === this.read.get(path)) continue
      const problems: string[] = []
      const expectations = readExpectedFile(path, problems)
      if (problems.length === 0) sample.expectations = expectations
      this.read.set(path, now)
    }
  }

  entryOf(spot: SuiteSpot | undefined): Expectation | undefined {
    return spot && this.samples.get(spot.expectedPath)?.expectations?.[spot.index]
  }

  /**
   * The last comparison of each entry, with what it was made from: the event's Segment side (kept by the
   * workbench, a new one when a pasted event moves into a file) and its Movable Ink evaluation (kept for the
   * events an edit cannot change). An edit compares again only the events it evaluated again.
   */
  private readonly compared = new WeakMap<Expectation, { side: unknown; evaluation: unknown; result: EventSuite }>()

  /** One event against its entry, by the suite library's checkEvent; no entry (or no file) is no expectation. */
  stateOf(spot: SuiteSpot | undefined, item: PreviewItem, side?: unknown): EventSuite {
    const expected = this.entryOf(spot)
    if (this.off || !expected || item.malformed) return NONE
    const evaluation = item.results[0]?.movableInk
    const kept = this.compared.get(expected)
    if (side !== undefined && kept && kept.side === side && kept.evaluation === evaluation) return kept.result
    const { differences } = checkEvent(item, expected)
    const result: EventSuite = { state: differences.length > 0 ? 'differs' : 'matches', differences }
    if (side !== undefined) this.compared.set(expected, { side, evaluation, result })
    return result
  }

  check(events: { spot?: SuiteSpot; side?: { item: unknown } }[], items: PreviewItem[]): SuiteCheck {
    const states = items.map((item, i) => this.stateOf(events[i].spot, item, events[i].side?.item))
    const count = (state: SuiteState) => states.filter((s) => s.state === state).length
    // Only the samples that still have events in the studio: a cleared one is no longer on the page.
    const shown = new Set(events.flatMap((e) => (e.spot ? [e.spot.expectedPath] : [])))
    const leftovers = this.off
      ? []
      : [...this.samples.values()]
          .filter((sample) => shown.has(sample.file.expectedPath))
          .flatMap(({ file, lines, expectations }) =>
            (expectations ?? [])
              .slice(lines.length)
              .map((entry, i) => leftoverName(basename(file.path), entry, lines.length + i))
          )
    return {
      events: states,
      matched: count('matches'),
      differ: count('differs'),
      none: count('none'),
      leftovers,
      ...(this.off ? { off: this.off } : {}),
      versions: this.versions()
    }
  }

  /** What the selected event's detail says of its expectation: where it is, the entry, each difference in words. */
  detailOf(spot: SuiteSpot | undefined, item: PreviewItem) {
    const { state, differences } = this.stateOf(spot, item)
    const where = spot ? { sample: spot.samplePath, expectedFile: spot.expectedPath, entry: spot.index + 1 } : {}
    return {
      state,
      ...where,
      expectation: this.off ? undefined : this.entryOf(spot),
      // The words `movable-ink test` prints beneath a failing event, one difference each.
      differences: differences.map((d) => ({ ...d, text: differenceText(d) })),
      ...(this.off ? { off: this.off } : {})
    }
  }
}
