import { compileEndpoint, evaluateEvents } from '../endpointModel'
import type { EndpointSpec, EventEvaluation } from '../endpointModel'
import type { MatchTypes } from './studioNotes'

/**
 * What a match criterion gives on the events it matched, when that is not true or false: `.event` (a string)
 * counts as a match for Movable Ink as for the endpoint model, which reports only that it matched. The studio
 * asks the endpoint model itself, with a one-field mapping whose path is `first(<criterion>) | type`, and only
 * for criteria and events it has not asked about before: what an event receives never changes, so an answer
 * holds until the criterion's text does. An edit to a field's path costs nothing here.
 */

export interface ProbeEntry {
  /** Stable for the event and result: `<event id>:<result index>`. */
  key: string
  received: unknown
  evaluation: EventEvaluation
}

/** The match texts remembered; typing a criterion makes a new text per key press. */
const KEPT_CRITERIA = 64

export class MatchProbe {
  private readonly types = new Map<string, Map<string, string>>()

  /** Per entry key, the mappings (by index) whose match gave something else than a boolean. */
  async nonBooleans(spec: EndpointSpec, entries: ProbeEntry[]): Promise<Map<string, MatchTypes>> {
    const asked = new Map<string, ProbeEntry[]>()
    for (const [i, m] of spec.mappings.entries()) {
      if (!m.active) continue
      const known = this.types.get(m.match)
      const matched = entries.filter((e) => matchedBy(e.evaluation, i) && !known?.has(e.key))
      if (matched.length) asked.set(m.match, [...(asked.get(m.match) ?? []), ...matched])
    }
    for (const [match, probed] of asked) await this.probe(match, probed)
    const answer = new Map<string, MatchTypes>()
    for (const e of entries)
      spec.mappings.forEach((m, i) => {
        const type = m.active && matchedBy(e.evaluation, i) ? this.types.get(m.match)?.get(e.key) : undefined
        if (type === undefined || type === 'boolean') return
        if (!answer.has(e.key)) answer.set(e.key, new Map())
        answer.get(e.key)?.set(i, type)
      })
    return answer
  }

  private async probe(match: string, entries: ProbeEntry[]): Promise<void> {
    const spec = {
      endpointKey: 'match-probe',
      mappings: [
        {
          name: 'probe',
          schema: 'Custom',
          match: 'true',
          active: true,
          fields: [{ name: 'type', path: `[limit(1; (\n${match}\n))] | .[0] | type`, type: 'any', required: false }]
        }
      ]
    }
    let known = this.types.get(match)
    if (!known) {
      known = new Map()
      this.types.set(match, known)
      if (this.types.size > KEPT_CRITERIA) this.types.delete(this.types.keys().next().value as string)
    }
    try {
      const evaluations = await evaluateEvents(
        await compileEndpoint(spec),
        entries.map((e) => e.received)
      )
      evaluations.forEach((ev, i) => {
        const type = ev.fields[0]?.value
        known?.set(entries[i].key, typeof type === 'string' ? type : 'boolean')
      })
    } catch {
      // A criterion the probe cannot run says nothing more than the evaluation already did.
      entries.forEach((e) => known?.set(e.key, 'boolean'))
    }
  }
}

function matchedBy(evaluation: EventEvaluation, index: number): boolean {
  return evaluation.mapping?.index === index || evaluation.otherMatches.some((o) => o.index === index)
}
