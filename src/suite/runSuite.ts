import { existsSync, readFileSync } from 'fs'
import { dirname } from 'path'
import { safeWriteProblem, writeFileSafely } from '../io/safeWrite'
import { readEvents } from '../events/readEvents'
import type { InputItem } from '../events/items'
import { PREVIEW_CHUNK } from '../preview/previewFiles'
import type { Previewer } from '../preview/previewer'
import type { PreviewItem } from '../preview/previewTypes'
import { compareEvent } from './compare'
import type { Difference } from './compare'
import { expectationOf, observe } from './observed'
import type { Observed } from './observed'
import { expectedFileText, findSamples, readExpectedFile } from './suiteFiles'
import type { SampleFile } from './suiteFiles'
import { SuiteError } from './suiteTypes'
import type { Expectation } from './suiteTypes'

/**
 * Running a suite: every sample through preview's own previewer (both sides, exactly as `movable-ink preview`),
 * each event compared with its entry in the expected file; and `--update`, which writes what was found.
 */

export interface SuiteSample {
  file: SampleFile
  items: InputItem[]
  /** The expected file's entries, in order; undefined when there is no expected file yet. */
  expectations?: Expectation[]
}

export interface Suite {
  samples: SuiteSample[]
}

async function readSample(file: SampleFile, problems: string[]): Promise<InputItem[]> {
  const items: InputItem[] = []
  try {
    for await (const item of readEvents(file.path, 'auto')) items.push(item)
  } catch (error) {
    problems.push(`${file.path}: cannot be read (${(error as Error).message}).`)
    return []
  }
  for (const item of items)
    if (item.kind === 'malformed')
      problems.push(`${item.source}:${item.line}: is not an event (${item.reason}): fix the sample or remove it.`)
  if (items.length === 0) problems.push(`${file.path}: holds no events: add one, or remove the file.`)
  return items
}

/** The suite's samples and expectations, every mistake at once (a SuiteError) before anything runs. */
export async function loadSuite(paths: string[]): Promise<Suite> {
  const problems: string[] = []
  const samples: SuiteSample[] = []
  for (const file of findSamples(paths)) {
    const items = await readSample(file, problems)
    samples.push({ file, items, expectations: readExpectedFile(file.expectedPath, problems) })
  }
  if (problems.length > 0) throw new SuiteError(problems)
  return { samples }
}

export interface EventResult {
  sample: SampleFile
  /** Position of the event in its sample file, from 0: the entry of the expected file it is compared with. */
  index: number
  expected?: Expectation
  observed: Observed
  differences: Difference[]
}

export interface SampleRun {
  sample: SuiteSample
  events: EventResult[]
  /** Entries of the expected file beyond the sample's events: each is a failure, and --update removes it. */
  leftover: Expectation[]
}

export interface SuiteRun {
  samples: SampleRun[]
  passed: number
  failed: number
}

/** One event the caller previewed (the studio's, say) against its expectation. */
export function checkEvent(
  item: PreviewItem,
  expected: Expectation | undefined
): { observed: Observed; differences: Difference[] } {
  const observed = observe(item)
  return { observed, differences: compareEvent(expected, observed) }
}

async function runSample(sample: SuiteSample, previewer: Previewer): Promise<SampleRun> {
  const events: EventResult[] = []
  for (let start = 0; start < sample.items.length; start += PREVIEW_CHUNK) {
    const items = await previewer.previewEvents(sample.items.slice(start, start + PREVIEW_CHUNK))
    items.forEach((item, k) => {
      const index = start + k
      const expected = sample.expectations?.[index]
      events.push({ sample: sample.file, index, expected, ...checkEvent(item, expected) })
    })
  }
  return { sample, events, leftover: sample.expectations?.slice(sample.items.length) ?? [] }
}

/** Runs every sample through `previewer` (one subscription) and compares each event with its expectation. */
export async function runSuite(suite: Suite, previewer: Previewer): Promise<SuiteRun> {
  const samples: SampleRun[] = []
  for (const sample of suite.samples) samples.push(await runSample(sample, previewer))
  const events = samples.flatMap((s) => s.events)
  const eventsFailed = events.filter((e) => e.differences.length > 0).length
  const leftover = samples.reduce((n, s) => n + s.leftover.length, 0)
  return { samples, passed: events.length - eventsFailed, failed: eventsFailed + leftover }
}

export interface SampleUpdate {
  expectedPath: string
  kind: 'created' | 'updated'
  /** The events whose entry changed, with what changed (expected: what the file said; actual: what it says now). */
  changed: EventResult[]
  removed: Expectation[]
}

/**
 * `--update`'s rule for one event: an entry that still holds stays as written (even a partial, hand-written one);
 * one that does not, or none, is replaced by what was found. The studio's "Save as expected" uses it too.
 */
export function updatedEntry(result: EventResult): Expectation {
  return result.expected && result.differences.length === 0 ? result.expected : expectationOf(result.observed)
}

/** The entries `--update` writes for a sample. */
export function updatedEntries(run: SampleRun): Expectation[] {
  return run.events.map(updatedEntry)
}

/** An expected file as `--update` writes it: its entries, the events whose entry changed, the entries removed. */
export interface ExpectedFileUpdate {
  file: SampleFile
  entries: Expectation[]
  changed: EventResult[]
  removed: Expectation[]
}

/**
 * Writes every expected file whose content changes (never through a link, never outside its sample's folder);
 * returns what changed, file by file. Nothing is written while one of them may not be. `movable-ink test
 * --update` and the studio's "Save as expected" write by it.
 */
export function writeExpectedFiles(files: ExpectedFileUpdate[]): SampleUpdate[] {
  const updates: SampleUpdate[] = []
  const refused = files.flatMap(({ file }) => {
    const problem = safeWriteProblem(file.expectedPath, { within: dirname(file.path) })
    return problem ? [`${problem.message} (an expected file, not updated)`] : []
  })
  if (refused.length > 0) throw new SuiteError(refused)
  for (const { file, entries, changed, removed } of files) {
    const { expectedPath } = file
    const text = expectedFileText(entries)
    const existed = existsSync(expectedPath)
    if (existed && readFileSync(expectedPath, 'utf8') === text) continue
    writeFileSafely(expectedPath, text, { within: dirname(file.path) })
    updates.push({ expectedPath, kind: existed ? 'updated' : 'created', changed, removed })
  }
  return updates
}

/** `--update`: writes every expected file of the run whose content changes; returns what changed, file by file. */
export function writeExpectations(run: SuiteRun): SampleUpdate[] {
  return writeExpectedFiles(
    run.samples.map((sampleRun) => ({
      file: sampleRun.sample.file,
      entries: updatedEntries(sampleRun),
      changed: sampleRun.events.filter((e) => e.differences.length > 0),
      removed: sampleRun.leftover
    }))
  )
}
