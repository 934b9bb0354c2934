import type { EventEvaluation } from '../endpointModel'
import type { EngageMembership } from '../events/engage'
import type { WarningCode } from './warningCodes'

/**
 * Which of the destination's rules an error breaks, so that a test can expect "refused by the timestamp rule"
 * without comparing sentences: one of checkMapped's checks, `mapping` when mapping-kit could not apply the
 * mapping, or `runtime:<code>` for a refusal only the runtime reported (its schema validation, an empty Data).
 */
export type SegmentRule = 'mapping' | 'timestamp' | 'identity' | 'headers' | 'size' | `runtime:${string}`

/** What preview says of each event: the Segment side (subscriptions, mapped payload, request) and Movable Ink's. */

export interface PreviewRequest {
  method: string
  url: string
  /** In the order and spelling they go on the wire. */
  headers: [string, string][]
  body: string
}

export interface PreviewSize {
  bytes: number
  limitBytes: number
  percentOfLimit: number
  withinLimit: boolean
}

export interface PreviewResult {
  subscription: string
  mappedPayload?: unknown
  request?: PreviewRequest
  size?: PreviewSize
  errors: string[]
  /** The rule each error breaks, at the same index as `errors`. */
  errorRules: SegmentRule[]
  /** What Movable Ink would take but may not use as meant: the destination's recommendations, then the mappings'. */
  warnings: string[]
  /** The code of each warning (warningCodes.ts), at the same index as `warnings`: what programs decide on. */
  warningCodes: WarningCode[]
  /** What Movable Ink's event mappings make of what it would receive (the request body, else the mapped Data). */
  movableInk?: EventEvaluation
}

export interface PreviewItem {
  source: string
  line: number
  event?: string
  /** Why the input is not an event that can be previewed (not JSON, not an object, or refused). */
  malformed?: string
  /** Set when it is JSON that nothing could process: `too deep` (nested more than the events/ limit). */
  refused?: 'too deep'
  /** For a Segment Engage call: the audience or computed trait it carries, its key and value. */
  engage?: EngageMembership
  subscriptions: { name: string; subscribe: string; matches: boolean }[]
  results: PreviewResult[]
}

export interface PreviewSummary {
  events: number
  withErrors: number
  /** Events that would be sent and that an active Movable Ink event mapping takes. */
  mapped: number
  /** Events that would be sent but that no active mapping takes (the first few are named in `line`). */
  unmapped: number
  /** Events that would be sent, that no active mapping takes, and that the endpoint file says are not for Movable Ink. */
  notForMovableInk: number
  firstUnmapped: { event: string; source: string; line: number }[]
  line: string
}
