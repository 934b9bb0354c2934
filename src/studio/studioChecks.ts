import type { PreviewItem } from '../preview/previewTypes'
import type { CheckedItem, CheckResult, DetailAnswer, VerdictsAnswer } from './apiTypes'
import { compactCheck } from './checkView'
import type { Evaluation, EvaluationCache } from './evaluationCache'
import type { StudioSuite } from './expectations'
import { decisionFor, mappingFor } from './newMapping'
import { schemaFieldsFor } from './schemaFields'
import { StudioError } from './studioError'
import type { StudioEvent, StudioEvents } from './studioEvents'
import { boxNotes } from './studioNotes'
import { summarizePreview } from '../preview/previewSummary'
import { studioVerdict } from './verdict'

/**
 * The check and the detail: every event through preview, as `preview --json` shows it, with its verdict and its
 * place in the suite, under the mappings as edited; and one event's whole check, with what the page offers to
 * map it. Both come from the evaluation cache, so the verdicts and the detail of one edit cost one evaluation.
 */
export class StudioChecks {
  constructor(
    private readonly events: StudioEvents,
    private readonly evaluations: EvaluationCache,
    private readonly suite: StudioSuite
  ) {}

  /** An event's whole check under one evaluation. */
  checkedItem(e: StudioEvent, evaluation: Evaluation): CheckedItem {
    const item = e.side?.item as PreviewItem
    const evaluated = evaluation.byEvent.get(e.id)
    const movableInk = evaluated?.results ?? []
    const results = item.results.map((r, k) => (movableInk[k] ? { ...r, movableInk: movableInk[k] } : r))
    const notes = evaluated?.notes
    const hints = notes ? [...notes.hints, ...notes.fieldHints.map((h) => `${h.field}: ${h.text} ${h.path ?? ''}`)] : []
    const checked = { ...item, results }
    return { id: e.id, ...checked, verdict: studioVerdict(checked, { warnings: notes?.warnings, hints }) }
  }

  /** Every event's whole check against the event mappings given (POST /api/check, the report). */
  async check(spec: unknown): Promise<CheckResult> {
    return this.checkOf(await this.evaluations.evaluate(spec))
  }

  private checkOf(evaluation: Evaluation): CheckResult {
    const items = evaluation.events.map((e) => this.checkedItem(e, evaluation))
    return {
      items,
      summary: summarizePreview(items),
      endpointWarnings: evaluation.endpointWarnings,
      boxWarnings: boxNotes(evaluation.endpoint.spec),
      suite: this.suite.check(evaluation.events, items)
    }
  }

  /** What an edit redraws: every event's verdict, compactly, and the detail of event `id` when it is still there. */
  async verdicts(spec: unknown, id?: number): Promise<VerdictsAnswer> {
    const evaluation = await this.evaluations.evaluate(spec)
    const shown = id === undefined ? undefined : evaluation.events.find((e) => e.id === id)
    return {
      ...compactCheck(this.checkOf(evaluation)),
      detail: shown ? this.detailOf(shown, evaluation) : null
    }
  }

  /** One event's whole check with these mappings (POST /api/detail: the page's selection). */
  async detail(spec: unknown, id: number): Promise<DetailAnswer> {
    const evaluation = await this.evaluations.evaluate(spec)
    const e = evaluation.events.find((x) => x.id === id) ?? this.events.find(id)
    if (!evaluation.events.includes(e)) throw new StudioError(409, `Event ${id} was added during the check: ask again.`)
    return this.detailOf(e, evaluation)
  }

  /**
   * The studio's notes and what Movable Ink would receive, a first mapping for it (not for an event the
   * destination refuses: no mapping can help it), and, while it is unmapped, the decision that it is not for
   * Movable Ink.
   */
  private detailOf(e: StudioEvent, evaluation: Evaluation): DetailAnswer {
    const checked = this.checkedItem(e, evaluation)
    const received = e.side?.received.find((r) => r !== undefined)
    const event = e.item.kind === 'event' ? e.item.event : undefined
    const { status } = checked.verdict
    const helped = event && status !== 'refused' ? event : undefined
    return {
      ...checked,
      suite: this.suite.detailOf(e.spot, checked),
      notes: evaluation.byEvent.get(e.id)?.notes ?? { warnings: [], hints: [], fieldHints: [] },
      received,
      event,
      label: e.side?.item.event,
      newMapping: helped ? mappingFor(helped) : undefined,
      newDecision: helped && status === 'unmapped' ? decisionFor(helped) : undefined,
      schemaFields: schemaFieldsFor(received ?? event)
    }
  }
}
