import { existsSync, readFileSync, realpathSync } from 'fs'
import { basename, dirname, extname, join, resolve } from 'path'
import { eventLine } from '../events/eventLine'
import type { EventItem, InputItem } from '../events/items'
import { readEvents } from '../events/readEvents'
import { outputProblem } from '../io/outputFile'
import { EXAMPLES_DIR } from '../io/projectFiles'
import { isInside, writeFileSafely } from '../io/safeWrite'
import type { PreviewItem } from '../preview/previewTypes'
import {
  checkEvent,
  expectationOf,
  expectedFileText,
  expectedPathOf,
  isExpected,
  readExpectedFile,
  updateLines
} from '../suite'
import type { EventResult, Expectation, SampleFile, SampleUpdate } from '../suite'
import { notEventText } from './expectations'
import { saveSummary } from './saveSummary'
import type { StudioSuite, SuiteSpot } from './expectations'

/**
 * "Save as expected": what an event makes now becomes its entry in the expected file beside its sample file,
 * in the suite format, with the suite library's expectationOf and expectedFileText, and the same rule as
 * `movable-ink test --update`: an entry that still holds stays as written (even a partial, hand-written one),
 * one that does not is replaced by what was found. Saving one event changes only its entry (and gives the
 * events before it one, when they have none: entries go by position); saving all is `--update` for every
 * sample loaded, which also removes entries past a sample's last event. Pasted events have no file: they are
 * added, as JSON Lines, to the suite file the page names, with their entries in the expected file beside it.
 *
 * Everything is worked out and checked before anything is written; the answer says where each file went and
 * what changed, in `movable-ink test --update`'s words.
 */

/** A saving the studio refuses, with every reason at once. */
export class SaveRefusal extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? `Not saved as expected: ${problems[0]}`
        : `Not saved as expected, for ${problems.length} reasons:\n${problems.map((p) => `  ${p}`).join('\n')}`
    )
  }
}

/** An event as the save needs it: its place, if it has one, what it is, and what the check made of it. */
export interface SaveEvent {
  id: number
  spot?: SuiteSpot
  item: PreviewItem
  input: InputItem
  where: string
}

export interface SaveRequest {
  suite: StudioSuite
  /** Every event of the studio, in order (for the entries the saved ones need before them). */
  events: SaveEvent[]
  /** The ones to save: one, or all. */
  chosen: SaveEvent[]
  all: boolean
  /** The suite file for pasted events, as the page gives it (relative to the working folder). */
  pastedPath?: string
  workDir: string
}

/** A pasted event now in a sample file: where it is, for the list. */
export interface MovedEvent {
  id: number
  spot: SuiteSpot
  source: string
  line: number
}

export interface SaveAnswer {
  /** What was written and what changed, as `movable-ink test --update` says it. */
  lines: string[]
  /** The same in one line (saveSummary.ts): the page shows it, with the lines folded under it. */
  summary: string
  /** Every file written. */
  written: string[]
  moved: MovedEvent[]
}

/** An expected file as it will be written. */
interface Planned {
  file: SampleFile
  before?: string
  entries: (Expectation | undefined)[]
  changed: EventResult[]
  removed: Expectation[]
}

const realPath = (path: string): string => {
  // The nearest folder that exists, followed through its links, with the rest of the path after it.
  let head = resolve(path)
  const rest: string[] = []
  while (!existsSync(head) && dirname(head) !== head) {
    rest.unshift(basename(head))
    head = dirname(head)
  }
  return join(realpathSync(head), ...rest)
}

const isBundled = (path: string) => isInside(realPath(path), realPath(EXAMPLES_DIR))

/** The bundled examples are the package's: a saving there would change them for everyone (or fail, installed). */
function bundledProblem(paths: string[]): string | undefined {
  if (paths.length === 0) return undefined
  const folders = [...new Set(paths.map((p) => dirname(p)))]
  const copy = folders.map((f) => `cp -r ${f} my-samples`).join('; ')
  const named = paths.length === 1 ? `${paths[0]} is` : `${paths.length} sample files (${paths[0]}, ...) are`
  return `${named} among the bundled examples, which the studio never changes: copy the folder and open the copy (${copy}; movable-ink studio my-samples).`
}

/** The suite file for pasted events: JSON Lines, under the working folder or a folder events were loaded from. */
function pastedTarget(request: SaveRequest, problems: string[]): string | undefined {
  const given = request.pastedPath?.trim()
  if (!given) {
    problems.push('name the suite file for pasted events (a .jsonl file): they have no file of their own.')
    return undefined
  }
  const target = resolve(request.workDir, given)
  const ext = extname(target).toLowerCase()
  if (isExpected(target) || (ext !== '.jsonl' && ext !== '.ndjson')) {
    problems.push(
      `the suite file for pasted events must be a JSON Lines sample file (.jsonl or .ndjson), which events can be added to, not ${target}; its expected file goes beside it.`
    )
    return undefined
  }
  if (isBundled(target)) {
    problems.push(
      `${target} is among the bundled examples, which the studio never changes: name a suite file in your own folder.`
    )
    return undefined
  }
  const folders = [request.workDir, ...[...request.suite.samples.values()].map((s) => dirname(s.file.path))]
  const real = realPath(target)
  if (!folders.some((folder) => isInside(real, realPath(folder)))) {
    problems.push(
      `${target} is outside the working folder (${request.workDir}) and the folders the studio loaded events from: save the suite under one of them.`
    )
    return undefined
  }
  return target
}

function readEntries(expectedPath: string, problems: string[]): { entries?: Expectation[]; before?: string } {
  if (!existsSync(expectedPath)) return {}
  const found: string[] = []
  const entries = readExpectedFile(expectedPath, found)
  problems.push(...found)
  return { entries, before: readFileSync(expectedPath, 'utf8') }
}

/** An entry for the event at `index`, unless the one there still holds (`movable-ink test --update`'s rule). */
function record(plan: Planned, index: number, item: PreviewItem): void {
  const expected = plan.entries[index]
  const result: EventResult = { sample: plan.file, index, expected, ...checkEvent(item, expected) }
  if (expected && result.differences.length === 0) return
  plan.entries[index] = expectationOf(result.observed)
  plan.changed.push(result)
}

/** The expected file of one loaded sample, with the chosen events' entries (or, with `all`, every event's). */
function planSample(
  request: SaveRequest,
  expectedPath: string,
  chosen: Map<number, SaveEvent>,
  problems: string[]
): Planned | undefined {
  const sample = request.suite.samples.get(expectedPath)
  if (!sample) return undefined
  const mistakes = [...sample.notEvents]
  // The file as it is now: another tool (`movable-ink test --update`) may have written it since it was loaded.
  const { entries, before } = readEntries(expectedPath, mistakes)
  problems.push(...mistakes)
  if (mistakes.length > 0) return undefined
  const plan: Planned = { file: sample.file, before, entries: [...(entries ?? [])], changed: [], removed: [] }
  const loaded = new Map<number, SaveEvent>()
  for (const e of request.events)
    if (e.spot?.expectedPath === expectedPath && !loaded.has(e.spot.index)) loaded.set(e.spot.index, e)
  const saving = request.all ? loaded : chosen
  for (const index of [...saving.keys()].sort((a, b) => a - b))
    record(plan, index, (saving.get(index) as SaveEvent).item)
  // Entries go by position: every event before one that has an entry needs one too.
  for (let index = 0; index < plan.entries.length; index++) {
    if (plan.entries[index]) continue
    const e = loaded.get(index)
    if (e) record(plan, index, e.item)
    else
      problems.push(
        `${sample.file.path}:${sample.lines[index]} has no entry in ${expectedPath}, and it was removed from the studio, so it cannot be saved; entries go by position: start the studio again with the file, or run movable-ink test ${sample.file.path} --update.`
      )
  }
  if (request.all) plan.removed = plan.entries.splice(sample.lines.length) as Expectation[]
  plan.changed.sort((a, b) => a.index - b.index)
  return plan
}

async function sampleItems(path: string) {
  const items = []
  for await (const item of readEvents(path, 'auto')) items.push(item)
  return items
}

/** Pasted events added to the suite file: their lines, and their entries in the plan of its expected file. */
async function planPasted(
  request: SaveRequest,
  pasted: SaveEvent[],
  plans: Map<string, Planned>,
  problems: string[]
): Promise<{ target: string; text: string; moved: MovedEvent[]; earlierLines: number[] } | undefined> {
  const target = pastedTarget(request, problems)
  if (!target) return undefined
  const expectedPath = resolve(expectedPathOf(target))
  let lineCount = 0
  let count = 0
  let earlierLines: number[] = []
  let separator = ''
  let plan = plans.get(expectedPath)
  if (existsSync(target)) {
    const text = readFileSync(target, 'utf8')
    const items = await sampleItems(target)
    const notEvents = items.flatMap((item) => notEventText(item) ?? [])
    const { entries, before } = plan
      ? { entries: plan.entries, before: plan.before }
      : readEntries(expectedPath, notEvents)
    count = items.length
    earlierLines = items.map((i) => i.line)
    if (notEvents.length === 0 && (entries?.length ?? 0) !== count)
      notEvents.push(
        `${target} holds ${count} event${count === 1 ? '' : 's'} and ${expectedPath} ${entries?.length ?? 0} entr${
          entries?.length === 1 ? 'y' : 'ies'
        }: pasted events go after entries for all of them; save its events as expected first (movable-ink test ${target} --update), or name another file.`
      )
    problems.push(...notEvents)
    if (notEvents.length > 0) return undefined
    lineCount = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
    separator = text === '' || text.endsWith('\n') ? '' : '\n'
    plan ??= { file: { path: target, expectedPath }, before, entries: [...(entries ?? [])], changed: [], removed: [] }
  }
  plan ??= { file: { path: target, expectedPath }, entries: [], changed: [], removed: [] }
  plans.set(expectedPath, plan)
  const moved: MovedEvent[] = []
  const lines = pasted.map((e, k) => {
    const line = lineCount + k + 1
    const spot = { samplePath: target, expectedPath, index: count + k }
    moved.push({ id: e.id, spot, source: target, line })
    record(plan as Planned, spot.index, { ...e.item, source: target, line })
    return eventLine(e.input as EventItem)
  })
  return { target, text: separator + lines.join('\n') + '\n', moved, earlierLines }
}

function writeProblem(path: string, what: string): string | undefined {
  const problem = outputProblem(path, { createFolder: true })
  return problem ? `${what} ${path} cannot be written: ${problem.why}.` : undefined
}

/** The events chosen, by where they go: sample files (by expected file, by entry), pasted, or not events. */
function sortChosen(request: SaveRequest, problems: string[]) {
  const pasted: SaveEvent[] = []
  const bySample = new Map<string, Map<number, SaveEvent>>()
  let notEvents = 0
  for (const e of request.chosen) {
    if (e.spot) {
      const spots = bySample.get(e.spot.expectedPath) ?? new Map<number, SaveEvent>()
      if (!spots.has(e.spot.index)) spots.set(e.spot.index, e)
      bySample.set(e.spot.expectedPath, spots)
    } else if (e.input.kind === 'event') pasted.push(e)
    else if (request.all) notEvents++
    else problems.push(`${e.where} is not an event (${e.item.malformed}): there is nothing to expect of it.`)
  }
  return { pasted, bySample, notEvents }
}

type Update = { plan: Planned; text: string; update: SampleUpdate }
type Added = Awaited<ReturnType<typeof planPasted>>

/** The expected files whose text changes, with what changed in each. */
function updatesOf(plans: Map<string, Planned>): Update[] {
  const updates: Update[] = []
  for (const plan of plans.values()) {
    const text = expectedFileText(plan.entries as Expectation[])
    if (plan.before === text) continue
    const kind = plan.before === undefined ? 'created' : 'updated'
    const update = { expectedPath: plan.file.expectedPath, kind, changed: plan.changed, removed: plan.removed } as const
    updates.push({ plan, text, update })
  }
  return updates
}

function addedLine(added: NonNullable<Added>, existed: boolean): string {
  const [first, last] = [added.moved[0].line, added.moved[added.moved.length - 1].line]
  const n = added.moved.length
  const where = `line${n === 1 ? ` ${first}` : `s ${first}-${last}`}`
  return `${existed ? 'Added' : 'Wrote'} ${n} pasted event${n === 1 ? '' : 's'} ${existed ? 'to' : 'in'} ${
    added.target
  } (${where})${existed ? '' : ', a new sample file'}.`
}

/** Writes the suite file's new events and the expected files; says what it wrote. */
function writeAll(added: Added, updates: Update[]): { written: string[]; lines: string[] } {
  const written: string[] = []
  const lines: string[] = []
  // Checked before; a disk that fills up meanwhile still gets an answer that says what was written.
  const write = (path: string, what: () => void) => {
    try {
      what()
      written.push(path)
    } catch (error) {
      const done = written.length ? ` (written before it: ${written.join(', ')})` : ''
      throw new SaveRefusal([`${path} could not be written: ${(error as Error).message}${done}.`])
    }
  }
  if (added) {
    const existed = existsSync(added.target)
    // The whole file again, renamed into place: an append would follow a link planted meanwhile.
    const before = existed ? readFileSync(added.target, 'utf8') : ''
    write(added.target, () => writeFileSafely(added.target, before + added.text, { makeFolder: true }))
    lines.push(addedLine(added, existed))
  }
  for (const { text, update } of updates) write(update.expectedPath, () => writeFileSafely(update.expectedPath, text))
  return { written, lines }
}

/** The studio now holds what the files hold. */
function adoptWritten(request: SaveRequest, plans: Map<string, Planned>, updates: Update[], added: Added): void {
  for (const { plan, text } of updates) {
    const sample = request.suite.samples.get(plan.file.expectedPath)
    if (sample) sample.expectations = JSON.parse(text).events as Expectation[]
  }
  if (!added) return
  const loaded = request.suite.samples.get(resolve(expectedPathOf(added.target)))
  const plan = plans.get(resolve(expectedPathOf(added.target))) as Planned
  if (loaded) {
    loaded.lines.push(...added.moved.map((m) => m.line))
    loaded.expectations = plan.entries as Expectation[]
  } else
    request.suite.samples.set(plan.file.expectedPath, {
      file: plan.file,
      lines: [...added.earlierLines, ...added.moved.map((m) => m.line)],
      notEvents: [],
      expectations: plan.entries as Expectation[]
    })
}

/** Every file's plan, or a refusal with every problem at once before anything is written. */
async function planAll(request: SaveRequest) {
  const problems: string[] = []
  const { pasted, bySample, notEvents } = sortChosen(request, problems)
  const plans = new Map<string, Planned>()
  // With all: every sample that has events in the studio (not one whose events were removed or cleared).
  const samples = [...bySample.keys()]
  const bundled = bundledProblem(
    samples.map((s) => request.suite.samples.get(s)?.file.path ?? s).filter((path) => isBundled(path))
  )
  if (bundled) throw new SaveRefusal([bundled])
  for (const expectedPath of samples) {
    const plan = planSample(request, expectedPath, bySample.get(expectedPath) ?? new Map(), problems)
    if (plan) plans.set(expectedPath, plan)
  }
  const added = pasted.length > 0 ? await planPasted(request, pasted, plans, problems) : undefined
  const updates = updatesOf(plans)
  if (added) problems.push(...[writeProblem(added.target, 'The suite file')].flatMap((p) => p ?? []))
  for (const { update } of updates)
    problems.push(...[writeProblem(update.expectedPath, 'The expected file')].flatMap((p) => p ?? []))
  if (problems.length > 0) throw new SaveRefusal(problems)
  return { plans, added, updates, pasted, notEvents }
}

export async function saveExpected(request: SaveRequest): Promise<SaveAnswer> {
  if (request.suite.off) throw new SaveRefusal([request.suite.off])
  if (request.chosen.length === 0)
    throw new SaveRefusal(['there are no events to save: add events (or load sample files) first.'])
  const { plans, added, updates, pasted, notEvents } = await planAll(request)
  const { written, lines } = writeAll(added, updates)
  if (updates.length === 0 && !request.all && pasted.length === 0) {
    const e = request.chosen[0]
    lines.push(`${e.item.event ?? e.where} already matches its entry in ${e.spot?.expectedPath}: nothing written.`)
  } else lines.push(...updateLines(updates.map((u) => u.update)))
  if (notEvents > 0)
    lines.push(`${notEvents} pasted piece${notEvents === 1 ? ' that is' : 's that are'} not an event left out.`)
  adoptWritten(request, plans, updates, added)
  const summary = saveSummary(
    {
      expectedFiles: [...plans.keys()],
      changed: updates.length,
      ...(added ? { pasted: { count: added.moved.length, target: added.target } } : {})
    },
    request.workDir
  )
  return { lines, summary, written, moved: added?.moved ?? [] }
}
