import type { JqStopReason } from './jq'

/** The endpoint file's JSON, as a Solutions Architect writes it, and what evaluating an event against it gives. */

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'any'

export const FIELD_TYPES: readonly FieldType[] = ['string', 'number', 'integer', 'boolean', 'array', 'object', 'any']

export interface EndpointFieldSpec {
  name: string
  /** jq; several outputs (as from `.properties.products[] | .product_id`) are one value per item. */
  path: string
  type: FieldType
  required: boolean
  description?: string
}

export interface EventMappingSpec {
  name: string
  schema: string
  /** jq; the mapping matches when its first output is neither false nor null. */
  match: string
  active: boolean
  description?: string
  fields: EndpointFieldSpec[]
}

/**
 * A decision that events are not for Movable Ink: by the event's name (a track event's `event`, a page's or a
 * screen's `name`) or by a match criterion (jq), always with the reason. An event it covers that no active
 * mapping takes is still refused by Movable Ink, but as a decision, not a failure.
 */
export interface NotForMovableInkSpec {
  event?: string
  match?: string
  reason: string
}

export interface EndpointSpec {
  endpointKey: string
  description?: string
  mappings: EventMappingSpec[]
  /** Events left unmapped on purpose. */
  notForMovableInk?: NotForMovableInkSpec[]
}

/** One mistake in an endpoint file, with where it is. */
export interface EndpointProblem {
  /** e.g. 'mappings[2].fields[1].path', 'mappings[0].match', 'endpointKey' */
  where: string
  mapping?: number
  /** The place in notForMovableInk, for a problem of a decision. */
  decision?: number
  /** The mapping's name, when it has one, so people need not count mappings. */
  mappingName?: string
  field?: number
  property?: string
  message: string
  /** What jq said of the expression, for a problem jq found: it is not jq, jq was stopped on it, or not started. */
  jq?: 'syntax' | 'stopped' | 'unchecked'
}

function shownWhere(problem: EndpointProblem): string {
  return problem.mappingName === undefined ? problem.where : `${problem.where} (mapping "${problem.mappingName}")`
}

export class EndpointFileError extends Error {
  constructor(readonly problems: EndpointProblem[], readonly source?: string) {
    super(
      `${source ? `Endpoint file ${source}` : 'The endpoint file'} has ${problems.length} problem${
        problems.length === 1 ? '' : 's'
      }:\n` + problems.map((p) => `  ${shownWhere(p)}: ${p.message.replace(/\n/g, '\n      ')}`).join('\n')
    )
    this.name = 'EndpointFileError'
  }
}

export interface FieldResult {
  name: string
  path: string
  type: FieldType
  required: boolean
  /** At least one non-null value came out of the path. */
  present: boolean
  /** The path's output; an array of the outputs when it gave several. */
  value?: unknown
  problem?: string
  /** A path that gives the right type, already run in jq on this event, and what it gives. */
  fix?: { path: string; value: unknown; what: string }
}

export interface EventProblem {
  kind: 'unmapped' | 'not-for-movable-ink' | 'missing-required' | 'wrong-type' | 'jq-error'
  field?: string
  message: string
  /**
   * jq had to be stopped on this event (a runaway): why, and the expression that ran away with its mapping (and
   * `field`, for a field path), when it could be found; `earlier`: not on this event, which did not run the
   * expression, having it left out since it ran away on an earlier event (see runawayMarks.ts).
   */
  stopped?: { reason: JqStopReason; mapping?: string; expression?: string; earlier?: boolean }
  /** The change that would make it pass, when it is known. */
  fix?: string
}

/**
 * The model's warnings: a mapping left out after a runaway might have taken the event first; the event matches
 * more than one mapping; a notForMovableInk criterion failed on it; a decision that a mapping overrides.
 */
export type ModelWarningCode = 'match-not-run' | 'also-matches' | 'decision-criterion-failed' | 'decision-overridden'

export interface EventEvaluation {
  /** The first active mapping, in file order, whose match criterion holds. */
  mapping?: { index: number; name: string; schema: string }
  /** Further active mappings that match too (Movable Ink would use only the first: an ambiguity). */
  otherMatches: { index: number; name: string }[]
  /** Active mappings whose match criterion matched with a value that is not `true` (`.event` gives a string). */
  nonBooleanMatches?: { index: number; type: string }[]
  fields: FieldResult[]
  problems: EventProblem[]
  warnings: string[]
  /** The code of each warning, at the same index as `warnings`: what programs decide on. */
  warningCodes: ModelWarningCode[]
  /**
   * No active mapping takes it, and the endpoint file says it is not for Movable Ink: which decision (its place
   * in notForMovableInk), why, and what it covers (`event "Cart Viewed"`, or the match criterion).
   */
  notForMovableInk?: { index: number; reason: string; by: string }
  /** When the event happened, in Unix milliseconds: the mapped Timestamp, else the event's `timestamp`. */
  timestampMs?: number
}
