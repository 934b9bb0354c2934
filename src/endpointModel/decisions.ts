import { isObject } from '@segment/actions-core'
import { matched, matchError } from './matchResult'
import type { MatchResult } from './matchResult'
import type { EndpointSpec, EventEvaluation, EventProblem } from './types'

/**
 * The endpoint file's decisions (notForMovableInk): which one covers an event. One by event name compares the
 * name here; one by match criterion was run in the endpoint's jq program (its `x`). A decision's criterion
 * that fails on an event is a warning on that event and covers nothing: the event is then simply unmapped.
 */

type Decision = NonNullable<EventEvaluation['notForMovableInk']>

/** The name a decision by `event` compares: a track event's `event`, a page's or a screen's `name`. */
export function decidedName(event: unknown): string | undefined {
  if (!isObject(event)) return undefined
  const name =
    event.type === 'track' ? event.event : event.type === 'page' || event.type === 'screen' ? event.name : undefined
  return typeof name === 'string' ? name : undefined
}

export function decisionOf(
  spec: EndpointSpec,
  results: MatchResult[] | undefined,
  event: unknown
): { decision?: Decision; warnings: string[] } {
  const warnings: string[] = []
  const name = decidedName(event)
  let decision: Decision | undefined
  ;(spec.notForMovableInk ?? []).forEach((d, index) => {
    const result = results?.[index]
    const error = matchError(result)
    if (error !== undefined)
      warnings.push(`notForMovableInk[${index}]: its match criterion failed on this event: ${error}`)
    if (decision) return
    if (d.event !== undefined ? d.event === name : matched(result))
      decision = { index, reason: d.reason, by: d.event !== undefined ? `event "${d.event}"` : `match ${d.match}` }
  })
  return { decision, warnings }
}

/** An event no mapping takes, on purpose: Movable Ink still refuses it, and this problem says it was decided. */
export function decidedProblem(decision: Decision): EventProblem {
  return {
    kind: 'not-for-movable-ink',
    message: `Not for Movable Ink, on purpose (the endpoint file's notForMovableInk, ${decision.by}): ${decision.reason}`
  }
}

/** A decision that a mapping overrides: Movable Ink takes the event, so one of the two is a mistake. */
export function overriddenDecision(decision: Decision, mapping: string): string {
  return `the endpoint file marks ${decision.by} not for Movable Ink (${decision.reason}), yet mapping "${mapping}" takes it: remove the decision or narrow the mapping's match criterion`
}
