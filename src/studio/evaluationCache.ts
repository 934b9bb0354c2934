import { evaluateEvents } from '../endpointModel'
import type { CompiledEndpoint, EndpointSpec, EventEvaluation } from '../endpointModel'
import type { SegmentSides } from './segmentSides'
import { StudioError } from './studioError'
import type { StudioEvents, StudioEvent } from './studioEvents'
import type { StudioMappings } from './studioMappings'
import { endpointNotes, eventNotes, pageNumbered } from './studioNotes'
import type { EventNotes } from './studioNotes'

/**
 * Movable Ink's side of every event under the mappings of one check, kept for the next question about the same
 * mappings and events (the selected event's detail, the report, a save as expected). A check of new mappings
 * evaluates again only what the edit can have changed (see reusable()), in one evaluateEvents call.
 */

/** One event's Movable Ink side under one check's mappings. */
export interface EvaluatedEvent {
  /** Per result of its Segment side, by the same index: what Movable Ink makes of what it would receive. */
  results: (EventEvaluation | undefined)[]
  /** The studio's warnings and hints for it (studioNotes.ts). */
  notes: EventNotes
}

/** One check's answer for every event. */
export interface Evaluation {
  specText: string
  /** The version of the event list it was made for. */
  version: number
  endpoint: CompiledEndpoint
  /** The events as they were when the check began, in order (an edit of the list meanwhile shifts no id). */
  events: StudioEvent[]
  /** By event id; an event that reaches no Movable Ink endpoint (malformed, not subscribed) has none. */
  byEvent: Map<number, EvaluatedEvent>
  endpointWarnings: string[]
}

/** What a check sends to Movable Ink's side: one result of one event's Segment side. */
interface Received {
  event: StudioEvent
  index: number
  received: unknown
}

export class EvaluationCache {
  private last?: Evaluation
  /** The check under way, which a check of other mappings (a newer edit) cancels. */
  private running?: { specText: string; controller: AbortController }
  private fresh = 0

  constructor(
    private readonly events: StudioEvents,
    private readonly mappings: StudioMappings,
    private readonly sides: SegmentSides
  ) {}

  /** How many evaluations the last check asked the endpoint model for (for tests and the benchmark). */
  get lastEvaluated(): number {
    return this.fresh
  }

  /**
   * Movable Ink's side of every event with these mappings (kept while the mappings and the events stay). A check
   * of other mappings that arrives meanwhile (a newer edit) cancels this one: its runaways stop costing jq time
   * at once, and it answers 409, which the page drops as overtaken.
   */
  async evaluate(spec: unknown): Promise<Evaluation> {
    const specText = JSON.stringify(spec)
    if (this.last && this.last.specText === specText && this.last.version === this.events.version) return this.last
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

  private async evaluateNow(spec: unknown, specText: string, signal: AbortSignal): Promise<Evaluation> {
    const version = this.events.version
    const endpoint = await this.mappings.compile(spec)
    const events = this.events.list().slice()
    await this.sides.ensure(events)
    const wanted: Received[] = events.flatMap((event) =>
      (event.side?.received ?? []).flatMap((received, index) =>
        received === undefined ? [] : [{ event, index, received }]
      )
    )
    // Only what the edit can have changed goes to the endpoint model again.
    const kept = reusable(this.last, endpoint)
    const again = wanted.filter((w) => !kept(w))
    const answers = await evaluateEvents(
      endpoint,
      again.map((w) => w.received),
      undefined,
      { signal }
    )
    this.fresh = again.length
    const freshOf = new Map(again.map((w, i) => [w, answers[i]]))
    const byEvent = new Map<number, EvaluatedEvent>()
    for (const w of wanted) {
      const evaluation = freshOf.get(w) ?? (kept(w) as EventEvaluation)
      let entry = byEvent.get(w.event.id)
      if (!entry)
        byEvent.set(w.event.id, (entry = { results: [], notes: eventNotes(w.received, evaluation, endpoint.spec) }))
      entry.results[w.index] = evaluation
    }
    const endpointWarnings = [...endpoint.warnings.map(pageNumbered), ...endpointNotes(endpoint.spec)]
    const evaluation = { specText, version, endpoint, events, byEvent, endpointWarnings }
    if (version === this.events.version) this.last = evaluation
    return evaluation
  }
}

/**
 * The kept evaluation of one result that still holds under the new mappings, or undefined. Each event's
 * evaluation depends only on the event and the mappings; when no match criterion, active flag or order changed,
 * every event still goes to the same mapping, so only the events that a changed mapping takes (or also matches,
 * or whose evaluation quotes a failing criterion by name) can come out differently, and only those are evaluated
 * again, by the same endpoint model call as all of them would be. Anything else (a criterion edited, a mapping
 * added, removed or moved, a decision that events are not for Movable Ink) evaluates every event.
 */
function reusable(
  last: Evaluation | undefined,
  endpoint: CompiledEndpoint
): (w: Received) => EventEvaluation | undefined {
  const before = last?.endpoint.spec.mappings
  const now = endpoint.spec.mappings
  if (!last || !before || before.length !== now.length) return () => undefined
  if (now.some((m, i) => m.match !== before[i].match || m.active !== before[i].active)) return () => undefined
  // A decision (notForMovableInk) can change what any event is.
  const decisions = (spec: EndpointSpec) => JSON.stringify(spec.notForMovableInk ?? [])
  if (decisions(last.endpoint.spec) !== decisions(endpoint.spec)) return () => undefined
  const changed = new Set(now.flatMap((m, i) => (JSON.stringify(m) === JSON.stringify(before[i]) ? [] : [i])))
  return ({ event, index }) => {
    const kept = last.byEvent.get(event.id)?.results[index]
    if (!kept) return undefined
    if (kept.mapping && changed.has(kept.mapping.index)) return undefined
    if (kept.otherMatches.some((o) => changed.has(o.index))) return undefined
    return kept.problems.some((p) => p.kind === 'jq-error') ? undefined : kept
  }
}
