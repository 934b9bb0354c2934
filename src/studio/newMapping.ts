import { decidedName, ISO_TO_UNIX_MS, suggestedMatch } from '../endpointModel'
import type { EventMappingSpec, NotForMovableInkSpec } from '../endpointModel'

/**
 * A first event mapping for an event no mapping takes: the endpoint model's match criterion for it, who it is
 * about, and when it happened in Unix milliseconds (what Movable Ink keeps; Segment sends ISO 8601). The user
 * then adds the schema's own fields.
 */
export function mappingFor(event: Record<string, unknown>): EventMappingSpec {
  const named = typeof event.event === 'string' ? event.event : typeof event.name === 'string' ? event.name : undefined
  return {
    name: named ?? (typeof event.type === 'string' ? event.type : 'New mapping'),
    schema: 'Custom',
    match: suggestedMatch(event),
    active: true,
    fields: [
      { name: 'UserID', path: '.userId', type: 'string', required: false },
      { name: 'AnonymousId', path: '.anonymousId', type: 'string', required: false },
      { name: 'Timestamp', path: `.timestamp | ${ISO_TO_UNIX_MS}`, type: 'number', required: true }
    ]
  }
}

/** Until the Solutions Architect says why, the reason a decision made with one click in the studio gives. */
export const DEFAULT_DECISION_REASON = 'not used in Movable Ink campaigns'

/**
 * The decision that an event is not for Movable Ink, as the studio's one action makes it: by name for a track
 * event, a page or a screen with one (every event of that name), else by the match criterion for its type.
 */
export function decisionFor(event: Record<string, unknown>): NotForMovableInkSpec {
  const name = decidedName(event)
  if (name !== undefined) return { event: name, reason: DEFAULT_DECISION_REASON }
  return { match: suggestedMatch(event), reason: DEFAULT_DECISION_REASON }
}
