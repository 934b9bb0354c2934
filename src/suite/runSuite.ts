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

/** The entries `--update` writes for a sample: a passing entry as it is (even a partial one), else what was found. */
export function updatedEntries(run: SampleRun): Expectation[] {
  return run.events.map((e) => (e.expected && e.differences.length === 0 ? e.expected : expectationOf(e.observed)))
}

/** Writes every expected file whose content changes; returns what changed, file by file. */
export function writeExpectations(run: SuiteRun): SampleUpdate[] {
  const updates: SampleUpdate[] = []
  // Nothing is written while one expected file may not be: a link (its target is not the suite's to rewrite).
  const refused = run.samples.flatMap(({ sample }) => {
    const problem = safeWriteProblem(sample.file.expectedPath, { within: dirname(sample.file.path) })
    return problem ? [`${problem.message} (an expected file, not updated)`] : []
  })
  if (refused.length > 0) throw new SuiteError(refused)
  for (const sampleRun of run.samples) {
    const { expectedPath } = sampleRun.sample.file
    const text = expectedFileText(updatedEntries(sampleRun))
    const existed = existsSync(expectedPath)
    if (existed && readFileSync(expectedPath, 'utf8') === text) continue
    writeFileSafely(expectedPath, text, { within: dirname(sampleRun.sample.file.path) })
    updates.push({
      expectedPath,
      kind: existed ? 'updated' : 'created',
      changed: sampleRun.events.filter((e) => e.differences.length > 0),
      removed: sampleRun.leftover
    })
  }
  return updates
}
