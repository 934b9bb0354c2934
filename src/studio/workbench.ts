import { join, resolve } from 'path'
import { compileEndpoint, EndpointFileError, evaluateEvents } from '../endpointModel'
import type { CompiledEndpoint, EndpointSpec, EventEvaluation, JqLimits } from '../endpointModel'
import type { InputItem } from '../events/items'
import { parsePaste, PasteError } from '../events/pasteParser'
import { readEvents } from '../events/readEvents'
import { restamped } from '../events/restamp'
import { createPreviewer } from '../preview/previewer'
import type { Previewer, SegmentSide } from '../preview/previewer'
import { summarizePreview } from '../preview/previewSummary'
import type { PreviewItem, PreviewSummary } from '../preview/previewTypes'
import { requireSettings } from '../runtime/settings'
import type { GivenSettings } from '../runtime/settings'
import { matcherFor } from '../runtime/subscriptions'
import type { SubscriptionSpec } from '../runtime/subscriptions'
import { EndpointPlace } from './endpointSave'
import type { EndpointSaveRequest } from './endpointSave'
import { StudioSuite, suiteOff } from './expectations'
import type { SuiteCheck, SuiteSpot } from './expectations'
import { SaveRefusal, saveExpected } from './saveExpected'
import type { SaveAnswer, SaveEvent } from './saveExpected'
import { boxNotes, endpointNotes, eventNotes, pageNumbered, pageProblems } from './studioNotes'
import type { BoxNote, EventNotes } from './studioNotes'
import { deliverOne, deliverToStandIn } from './testSend'
import type { SendTarget, TestSendAnswer } from './testSend'
import { studioVerdict } from './verdict'
import type { Verdict } from './verdict'

/**
 * What the studio holds between requests: the events, each with its Segment side once computed, the endpoint
 * file's path and the subscriptions. The event mappings being edited live on the page, which sends them with
 * each check, so an edit costs no save.
 *
 * An edit to the mappings cannot change an event's Segment side (the mapped payload and the request depend
 * only on the event and the subscriptions), so that is computed once per event and kept; a check runs only
 * Movable Ink's side again, for all events in one evaluateEvents call, and keeps its answer for the next
 * question about the same mappings (the selected event's detail, the report).
 */

export interface StudioEvent {
  id: number
  item: InputItem
  /** Its Segment side, once computed. */
  side?: SegmentSide
  /** Its place in a sample file, when it was loaded from one (or saved into one): its expectation's place. */
  spot?: SuiteSpot
}

export interface CheckedItem extends PreviewItem {
  id: number
  verdict: Verdict
}

export interface CheckResult {
  items: CheckedItem[]
  summary: PreviewSummary
  endpointWarnings: string[]
  /** Warnings that belong beside one box of a mapping (a lone "=" in a match criterion). */
  boxWarnings: BoxNote[]
  /** Each event against its expectation (parallel to `items`), and the counts. */
  suite: SuiteCheck
}

export interface WorkbenchOptions {
  endpointFile: string
  /** Where "Save" writes unless the page names a file (inside workDir): by default the endpoint file itself. */
  saveFile?: string
  subscriptions: SubscriptionSpec[]
  /** For sending to a real endpoint; never shown on the page. */
  settings: GivenSettings
  /** jq's deadline (and memory cap) for the mappings as edited. */
  jqLimits?: JqLimits
  /** Where a suite file for pasted events may go, besides the folders events were loaded from (default: cwd). */
  workDir?: string
}

/** Where pasted events are saved as expected unless the page names another file: in the working folder. */
export const PASTED_SUITE_FILE = join('movable-ink-suite', 'pasted.jsonl')

/** An answer the API gives as an error: an HTTP status and a message that names the problem. */
export class StudioError extends Error {
  readonly name = 'StudioError'
  constructor(readonly status: number, message: string, readonly details?: Record<string, unknown>) {
    super(message)
  }
}

/** One check's answer for every event, kept for the next question about the same mappings and events. */
interface Evaluated {
  specText: string
  version: number
  endpoint: CompiledEndpoint
  events: StudioEvent[]
  /** Per event id, per result: its Movable Ink side. */
  evaluations: Map<number, (EventEvaluation | undefined)[]>
  /** The same by `<event id>:<result index>`, for the next check to reuse. */
  byKey: Map<string, EventEvaluation>
  notes: Map<number, EventNotes>
  endpointWarnings: string[]
}

export class Workbench {
  private events: StudioEvent[] = []
  private nextId = 1
  private pastes = 0
  /** Bumped on every change to the events, so a kept check is not used for another set of them. */
  private version = 0
  private previewer?: Promise<Previewer>
  /** The previewer's capture server takes one event at a time. */
  private sideQueue: Promise<unknown> = Promise.resolve()
  private last?: Evaluated
  /** The check under way, which a check of other mappings (a newer edit) cancels. */
  private running?: { specText: string; controller: AbortController }
  private lastFresh = 0
  /** The sample files events were loaded from, and their expected files. */
  readonly suite: StudioSuite
  /** The files events were loaded from (with their expected files, never a place to save event mappings). */
  private readonly loaded: string[] = []
  /** The endpoint file read, and where "Save" writes. */
  readonly endpointPlace: EndpointPlace

  constructor(readonly options: WorkbenchOptions) {
    this.suite = new StudioSuite(suiteOff(options.subscriptions))
    const saveFile = resolve(options.saveFile ?? options.endpointFile)
    const loaded = () => [...this.loaded, ...this.suite.samples.keys()]
    this.endpointPlace = new EndpointPlace(resolve(options.endpointFile), saveFile, this.workDir, loaded)
  }

  get saveFile(): string {
    return this.endpointPlace.saveTo
  }

  get workDir(): string {
    return resolve(this.options.workDir ?? '.')
  }

  /** The suite file the page offers for pasted events. */
  get pastedSuiteFile(): string {
    return join(this.workDir, PASTED_SUITE_FILE)
  }

  list(): StudioEvent[] {
    return this.events
  }

  private add(items: InputItem[], spots: (SuiteSpot | undefined)[] = []): StudioEvent[] {
    const added = items.map((item, i) => ({ id: this.nextId++, item, ...(spots[i] ? { spot: spots[i] } : {}) }))
    this.events.push(...added)
    this.version++
    return added
  }

  async addFile(path: string): Promise<StudioEvent[]> {
    const items: InputItem[] = []
    this.loaded.push(resolve(path))
    for await (const item of readEvents(path, 'auto', undefined, { unsafeIntegers: true })) items.push(item)
    // Its expected file is read with it: a SuiteError, as movable-ink test gives, when that is not the format.
    return this.add(items, this.suite.load(path, items))
  }

  /** A paste or a dropped file; refused as a whole when not one event can be read from it. */
  addText(text: string, name?: string): StudioEvent[] {
    const source = name ?? `paste ${++this.pastes}`
    let items: InputItem[]
    try {
      items = parsePaste(text, source)
    } catch (error) {
      if (error instanceof PasteError) throw new StudioError(error.status, error.message)
      throw error
    }
    // Events refused for what they are (nested too deep) are kept, to be listed as refused with the reason.
    const firstBad = items.find((i) => i.kind === 'malformed')
    if (!items.some((i) => i.kind === 'event' || i.refused) && firstBad?.kind === 'malformed')
      throw new StudioError(400, `No event in ${source}: line ${firstBad.line} is ${firstBad.reason}.`)
    return this.add(items)
  }

  remove(id: number): void {
    const before = this.events.length
    this.events = this.events.filter((e) => e.id !== id)
    if (this.events.length === before) throw new StudioError(404, `There is no event ${id}: reload the page.`)
    this.version++
  }

  /** Every event; returns how many there were. */
  clear(): number {
    const count = this.events.length
    this.events = []
    this.version++
    return count
  }

  find(id: number): StudioEvent {
    const found = this.events.find((e) => e.id === id)
    if (!found) throw new StudioError(404, `There is no event ${id}: reload the page.`)
    return found
  }

  /** The mappings the page starts from, the file they are from, and the version a save sends back. */
  readEndpoint(): { endpoint: unknown; version: string | null } {
    return this.endpointPlace.read()
  }

  /** The event mappings as edited: compiled, or a 422 whose details list every problem with where it is. */
  async compile(spec: unknown): Promise<CompiledEndpoint> {
    try {
      return await compileEndpoint(spec, 'The event mappings', this.options.jqLimits)
    } catch (error) {
      if (!(error instanceof EndpointFileError)) throw error
      const problems = pageProblems(error.problems, spec)
      const count = `The event mappings have ${problems.length} problem${problems.length === 1 ? '' : 's'}`
      const message = `${count}:\n${problems.map((p) => `  ${p.shownWhere}: ${p.message}`).join('\n')}`
      throw new StudioError(422, message, { problems })
    }
  }

  /** Writes the mappings where the page asks, by the rules of EndpointPlace; refused while wrong. */
  async saveEndpoint(request: EndpointSaveRequest): Promise<{ saved: string; replaced: boolean; version: string }> {
    await this.compile(request.spec)
    let answer: ReturnType<EndpointPlace['save']>
    try {
      answer = this.endpointPlace.save(request)
    } catch (error) {
      throw new StudioError(400, `Not saved: ${(error as Error).message}`)
    }
    if ('status' in answer) throw new StudioError(answer.status, answer.message, answer.details)
    return answer
  }

  /** The Segment side of every event that has none yet, in one previewer call at a time. */
  private ensureSides(events: StudioEvent[]): Promise<void> {
    const run = this.sideQueue.then(async () => {
      const missing = events.filter((e) => !e.side)
      if (missing.length === 0) return
      if (!this.previewer)
        // No settings: the page shows the request with a placeholder URL, never the configured one.
        this.previewer = createPreviewer({ settings: {}, subscriptions: this.options.subscriptions })
      const sides = await (await this.previewer).segmentSides(missing.map((e) => e.item))
      missing.forEach((e, i) => (e.side = sides[i]))
    })
    this.sideQueue = run.catch(() => undefined)
    return run
  }

  /**
   * Movable Ink's side of every event with these mappings (kept while the mappings and the events stay). A check
   * of other mappings that arrives meanwhile (a newer edit) cancels this one: its runaways stop costing jq time
   * at once, and it answers 409, which the page drops as overtaken.
   */
  private async evaluate(spec: unknown): Promise<Evaluated> {
    const specText = JSON.stringify(spec)
    if (this.last && this.last.specText === specText && this.last.version === this.version) return this.last
    if (this.running && this.running.specText !== specText) this.running.controller.abort()
    const running = { specText, controller: new AbortController() }
    this.running = running
    try {
      return await this.evaluateNow(spec, specText, running.controller.signal)
    } catch (error) {
      if (!running.controller.signal.aborted) throw error
      throw new StudioError(409, 'A newer edit of the event mappings replaced this check before it ended.')
    } finally {
      if (this.running === running) this.running = undefined
    }
  }

  private async evaluateNow(spec: unknown, specText: string, signal: AbortSignal): Promise<Evaluated> {
    const version = this.version
    const endpoint = await this.compile(spec)
    const events = this.events.slice() // an edit of the list while this runs does not shift the ids
    await this.ensureSides(events)
    const flat: { id: number; k: number; key: string; received: unknown }[] = []
    for (const e of events)
      e.side?.received.forEach(
        (received, k) => received !== undefined && flat.push({ id: e.id, k, key: `${e.id}:${k}`, received })
      )
    // Only what the edit can have changed goes to the endpoint model again (see reusable()).
    const reuse = reusable(this.last, endpoint)
    const again = flat.filter((f) => !reuse(f.key))
    const fresh = await evaluateEvents(
      endpoint,
      again.map((f) => f.received),
      undefined,
      { signal }
    )
    this.lastFresh = again.length
    const byKey = new Map<string, EventEvaluation>()
    again.forEach((f, i) => byKey.set(f.key, fresh[i]))
    const results = flat.map((f) => byKey.get(f.key) ?? (this.last?.byKey.get(f.key) as EventEvaluation))
    results.forEach((r, i) => byKey.set(flat[i].key, r))
    const evaluations = new Map<number, (EventEvaluation | undefined)[]>()
    flat.forEach((f, i) => {
      if (!evaluations.has(f.id)) evaluations.set(f.id, [])
      ;(evaluations.get(f.id) as (EventEvaluation | undefined)[])[f.k] = results[i]
    })
    const notes = new Map<number, EventNotes>()
    flat.forEach((f, i) => {
      if (notes.has(f.id)) return
      notes.set(f.id, eventNotes(f.received, results[i], endpoint.spec))
    })
    const endpointWarnings = [...endpoint.warnings.map(pageNumbered), ...endpointNotes(endpoint.spec)]
    const evaluated = { specText, version, endpoint, events, evaluations, byKey, notes, endpointWarnings }
    if (version === this.version) this.last = evaluated
    return evaluated
  }

  /** How many evaluations the last check asked the endpoint model for (for tests and the benchmark). */
  get lastEvaluated(): number {
    return this.lastFresh
  }

  private checkedItem(e: StudioEvent, evaluated: Evaluated): CheckedItem {
    const item = e.side?.item as PreviewItem
    const evaluations = evaluated.evaluations.get(e.id) ?? []
    const results = item.results.map((r, k) => (evaluations[k] ? { ...r, movableInk: evaluations[k] } : r))
    const notes = evaluated.notes.get(e.id)
    const hints = notes ? [...notes.hints, ...notes.fieldHints.map((h) => `${h.field}: ${h.text} ${h.path ?? ''}`)] : []
    const checked = { ...item, results }
    return { id: e.id, ...checked, verdict: studioVerdict(checked, { warnings: notes?.warnings, hints }) }
  }

  /** Every event through preview, as `preview --json` shows it, against the event mappings given. */
  async check(spec: unknown): Promise<CheckResult> {
    const evaluated = await this.evaluate(spec)
    const items = evaluated.events.map((e) => this.checkedItem(e, evaluated))
    return {
      items,
      summary: summarizePreview(items),
      endpointWarnings: evaluated.endpointWarnings,
      boxWarnings: boxNotes(evaluated.endpoint.spec),
      suite: this.suite.check(evaluated.events, items)
    }
  }

  /** One event's whole check, with the studio's notes and what Movable Ink would receive. */
  async detail(spec: unknown, id: number) {
    const evaluated = await this.evaluate(spec)
    const e = evaluated.events.find((x) => x.id === id) ?? this.find(id)
    if (!evaluated.events.includes(e)) throw new StudioError(409, `Event ${id} was added during the check: ask again.`)
    const checked = this.checkedItem(e, evaluated)
    return {
      ...checked,
      suite: this.suite.detailOf(e.spot, checked),
      notes: evaluated.notes.get(id) ?? { warnings: [], hints: [], fieldHints: [] },
      received: e.side?.received.find((r) => r !== undefined),
      event: e.item.kind === 'event' ? e.item.event : undefined,
      label: e.side?.item.event
    }
  }

  /**
   * Saves what one event (`id`), or every event (`all`), makes now as its expectation, with these mappings
   * (saveExpected.ts); pasted events go to `pastedPath`. A 422 while the mappings have mistakes, a 400 that
   * names every reason when the studio cannot save, and nothing written then.
   */
  async saveExpected(spec: unknown, which: { id: number } | { all: true }, pastedPath?: string): Promise<SaveAnswer> {
    const evaluated = await this.evaluate(spec)
    if ('id' in which) {
      const e = this.find(which.id)
      if (!evaluated.events.includes(e))
        throw new StudioError(409, `Event ${which.id} was added during the check: ask again.`)
    }
    const events: SaveEvent[] = evaluated.events.map((e) => ({
      id: e.id,
      spot: e.spot,
      item: this.checkedItem(e, evaluated),
      input: e.item,
      where: `${e.item.source}:${e.item.line}`
    }))
    const chosen = 'id' in which ? events.filter((e) => e.id === which.id) : events
    let answer: SaveAnswer
    try {
      answer = await saveExpected({
        suite: this.suite,
        events,
        chosen,
        all: !('id' in which),
        pastedPath,
        workDir: this.workDir
      })
    } catch (error) {
      if (error instanceof SaveRefusal) throw new StudioError(400, error.message, { problems: error.problems })
      throw error
    }
    // Pasted events saved into a file are that file's events from now on.
    for (const moved of answer.moved) {
      const e = this.events.find((x) => x.id === moved.id)
      if (!e) continue
      e.spot = moved.spot
      e.item = { ...e.item, source: moved.source, line: moved.line }
      if (e.side) e.side = { ...e.side, item: { ...e.side.item, source: moved.source, line: moved.line } }
    }
    return answer
  }

  /** Whether sending to a real endpoint is possible, without saying where (the page never shows settings). */
  configuredTarget(): { configured: boolean; problem?: string } {
    try {
      requireSettings(this.options.settings)
      return { configured: true }
    } catch (error) {
      return { configured: false, problem: (error as Error).message }
    }
  }

  /** `restamp`: as if it happened now, since Movable Ink refuses events older than 30 days (the examples are). */
  async send(id: number, target: SendTarget, spec: unknown, restamp = false): Promise<TestSendAnswer> {
    const found = this.find(id)
    if (found.item.kind !== 'event')
      throw new StudioError(
        400,
        found.item.refused
          ? `Event ${id} cannot be sent: it is ${found.item.reason}`
          : `Event ${id} is not valid JSON: fix it and paste again.`
      )
    const event = restamp ? restamped(found.item.event, new Date().toISOString()) : found.item.event
    const subscriptions = this.options.subscriptions
    const subscription = subscriptions.find((s) => matcherFor(s.subscribe)(event)) ?? subscriptions[0]
    if (target === 'stand-in') return deliverToStandIn(event, subscription, await this.compile(spec))
    const configured = this.configuredTarget()
    if (!configured.configured) throw new StudioError(400, `Cannot send to Movable Ink: ${configured.problem}`)
    const settings = requireSettings(this.options.settings)
    const answer = await deliverOne(event, subscription, settings, target)
    // A network error can quote the address; the page shows neither it nor the credentials.
    const hide = (text: string) =>
      text
        .split(settings.movable_ink_url)
        .join('<the configured URL>')
        .split(new URL(settings.movable_ink_url).host)
        .join('<its host>')
    return {
      ...answer,
      url: 'the configured Movable Ink URL',
      message: hide(answer.message),
      body: answer.body === undefined ? undefined : hide(answer.body)
    }
  }

  async close(): Promise<void> {
    if (this.previewer) await (await this.previewer).close()
  }
}

/**
 * Which kept evaluations still hold under the new mappings. Each event's evaluation depends only on the event
 * and the mappings; when no match criterion, active flag or order changed, every event still goes to the same
 * mapping, so only the events that a changed mapping takes (or also matches, or whose evaluation quotes a
 * failing criterion by name) can come out differently, and only those are evaluated again, by the same
 * endpoint model call as all of them would be. Anything else (a criterion edited, a mapping added, removed
 * or moved, a decision that events are not for Movable Ink) evaluates every event.
 */
function reusable(last: Evaluated | undefined, endpoint: CompiledEndpoint): (key: string) => boolean {
  const before = last?.endpoint.spec.mappings
  const now = endpoint.spec.mappings
  if (!last || !before || before.length !== now.length) return () => false
  if (now.some((m, i) => m.match !== before[i].match || m.active !== before[i].active)) return () => false
  // A decision (notForMovableInk) can change what any event is.
  const decisions = (spec: EndpointSpec) => JSON.stringify(spec.notForMovableInk ?? [])
  if (decisions(last.endpoint.spec) !== decisions(endpoint.spec)) return () => false
  const changed = new Set(now.flatMap((m, i) => (JSON.stringify(m) === JSON.stringify(before[i]) ? [] : [i])))
  return (key) => {
    const kept = last.byKey.get(key)
    if (!kept) return false
    if (kept.mapping && changed.has(kept.mapping.index)) return false
    if (kept.otherMatches.some((o) => changed.has(o.index))) return false
    return !kept.problems.some((p) => p.kind === 'jq-error')
  }
}
