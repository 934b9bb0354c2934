import type { EventMappingSpec, NotForMovableInkSpec } from '../endpointModel'
import type { PreviewItem, PreviewSummary } from '../preview/previewTypes'
import type { Difference, Expectation } from '../suite'
import type { SuiteCheck } from './expectations'
import type { SuiteState } from './vocabulary'
import type { SuggestedField } from './schemaFields'
import type { BoxNote, EventNotes, PageProblem } from './studioNotes'
import type { SendTarget, TestSendAnswer } from './testSend'
import type { Verdict } from './verdict'
import type { Vocabulary } from './vocabulary'

/**
 * The studio's API in types: what each route takes and answers. The server's handlers (api.ts) are written
 * against them, and the page's modules (static/*.js, `// @ts-check`) import them in JSDoc, so that a change of
 * an answer's shape fails the page's type check (static/tsconfig.json, run by `npm test`) as it fails the
 * server's. Types only: nothing here runs.
 */

export type { Verdict } from './verdict'
export type { Status, StatusGroup, SuiteState, Tone, Vocabulary } from './vocabulary'
export type { EventSuite, SuiteCheck } from './expectations'
export type { BoxNote, EventNotes, FieldHint, PageProblem } from './studioNotes'
export type { SuggestedField } from './schemaFields'
export type { SendTarget, SendOutcome, TestSendAnswer } from './testSend'
export type { PreviewItem, PreviewResult, PreviewSummary } from '../preview/previewTypes'
export type {
  EndpointFieldSpec,
  EndpointSpec,
  EventMappingSpec,
  FieldType,
  NotForMovableInkSpec
} from '../endpointModel'

/** Every failure: the message, and for the mappings' mistakes (422) every problem where the page shows it. */
export interface ErrorAnswer {
  error: string
  problems?: PageProblem[] | string[]
  [detail: string]: unknown
}

/** An event as the list shows it (api.ts's eventView). */
export interface EventView {
  id: number
  /** File name and line, `06-order-completed.json:1`, `paste 2:3`; never a folder path. */
  where: string
  /** `track "Order Completed"`, or `malformed`, `refused`. */
  label: string
  /** Why it is not an event that can be checked. */
  malformed?: string
  refused?: string
  /** The sample file it is an event of, when it has one. */
  sample?: string
}

/** GET /api/state: what the page starts from. */
export interface StateAnswer {
  events: EventView[]
  /** The endpoint file's name (not its folder). */
  endpointFile: string
  saveFile: string
  endpoint: unknown
  /** The save file's version, sent back with a save; null when there is no file. */
  version: string | null
  configured: { configured: boolean; problem?: string }
  schemas: string[]
  maxPasteBytes: number
  /** The statuses, suite states and field types with their tones, marks, letters and words (vocabulary.ts). */
  vocabulary: Vocabulary
  suite: { pastedFile: string; workDir: string; off?: string }
}

/** One event as POST /api/check answers it: as `preview --json` shows it, with its id and verdict. */
export interface CheckedItem extends PreviewItem {
  id: number
  verdict: Verdict
}

/** POST /api/check: every event's whole check. */
export interface CheckResult {
  items: CheckedItem[]
  summary: PreviewSummary
  endpointWarnings: string[]
  /** Warnings that belong beside one box of a mapping (a lone "=" in a match criterion). */
  boxWarnings: BoxNote[]
  /** Each event against its expectation (parallel to `items`), and the counts. */
  suite: SuiteCheck
}

/** One event's row in the verdicts: texts by their index into `texts`, sent once however many events share them. */
export interface CompactRow {
  id: number
  status: Verdict['status']
  /** The mapping that takes it, by its place (from 0), or null. */
  mappingIndex: number | null
  /** Indexes into `texts`: why it is not simply mapped, one reason each. */
  why: number[]
  warnings: number[]
  /** Events with the same name and verdict share a group (the first event's id). */
  group: number
}

/**
 * The suite's part: the check's counts, leftovers and versions (SuiteCheck), with its events as one letter per
 * row (SUITE_STATES of vocabulary.ts) and the counts in words, as the report says them.
 */
export type CompactSuite = Omit<SuiteCheck, 'events'> & { states: string; line: string }

/** Every event's verdict, compactly: what the page redraws after an edit. */
export interface CompactCheck {
  summary: PreviewSummary
  endpointWarnings: string[]
  boxWarnings: BoxNote[]
  texts: string[]
  rows: CompactRow[]
  suite: CompactSuite
}

/** The selected event against its expectation. */
export interface DetailSuite {
  state: SuiteState
  sample?: string
  expectedFile?: string
  /** Its entry in the expected file, from 1. */
  entry?: number
  expectation?: Expectation
  differences: (Difference & { text: string })[]
  off?: string
}

/** POST /api/detail: one event's whole check, what Movable Ink would receive, and help to map it. */
export interface DetailAnswer extends Omit<CheckedItem, 'event'> {
  suite: DetailSuite
  notes: EventNotes
  received?: unknown
  /** The event itself (not its name, which is `label`): none for a piece that is not one. */
  event?: Record<string, unknown>
  label?: string
  /** A first mapping for it (none for an event the destination refuses: no mapping can help it). */
  newMapping?: EventMappingSpec
  /** While it is unmapped: the decision that it is not for Movable Ink. */
  newDecision?: NotForMovableInkSpec
  /** Per schema, the fields it would have with this event's values. */
  schemaFields: Record<string, SuggestedField[]>
}

/** POST /api/verdicts `{endpoint, id?}`: what an edit redraws, in one call: every verdict, and event `id`'s detail. */
export interface VerdictsAnswer extends CompactCheck {
  /** The detail of event `id`; null when no id was asked or that event is no longer in the studio. */
  detail: DetailAnswer | null
}

/** POST /api/verdicts and /api/detail, /api/check, /api/export: the mappings as edited on the page. */
export interface CheckRequest {
  endpoint: unknown
  id?: number
}

/** POST /api/events. */
export interface AddEventsRequest {
  text?: string
  base64?: string
  name?: string
}

export interface AddEventsAnswer {
  added: EventView[]
}

/** GET /api/paths: the jq paths of the events as Movable Ink would receive them, each with a sample value. */
export interface PathsAnswer {
  paths: [string, string][]
}

/** PUT /api/endpoint. */
export interface SaveEndpointRequest {
  endpoint: unknown
  path?: string
  version?: string | null
  overwrite?: boolean
}

export interface SaveEndpointAnswer {
  saved: string
  replaced: boolean
  version: string
}

/** POST /api/expected: one event (`id`) or all. */
export interface SaveExpectedRequest {
  endpoint: unknown
  id?: number
  all?: true
  path?: string
  /** The `suite.versions` of the check the page shows (required unless `overwrite`). */
  versions?: Record<string, string | null>
  overwrite?: true
}

export interface SaveExpectedAnswer {
  lines: string[]
  /** The same in one line. */
  summary: string
  written: string[]
  /** The version of each file written, as it is now. */
  versions: Record<string, string | null>
  /** Pasted events now in a sample file, as the list shows them. */
  moved: EventView[]
}

/** POST /api/send. */
export interface SendRequest {
  endpoint: unknown
  id: number
  target: SendTarget
  confirm: true
  restamp?: boolean
}

export type SendAnswer = TestSendAnswer

/** POST /api/export: the report as a file. */
export interface ExportRequest {
  endpoint: unknown
  format?: 'html' | 'md'
}

/**
 * Every route, `METHOD /path`, with what it takes and what it answers: the page's api() (static/api.js) types
 * each call's body and answer by it.
 */
export interface Routes {
  'GET /api/state': [undefined, StateAnswer]
  'POST /api/events': [AddEventsRequest, AddEventsAnswer]
  'DELETE /api/events': [undefined, { removed: number }]
  [removeOne: `DELETE /api/events/${number}`]: [undefined, { removed: number }]
  'GET /api/paths': [undefined, PathsAnswer]
  'POST /api/check': [CheckRequest, CheckResult]
  'POST /api/verdicts': [CheckRequest, VerdictsAnswer]
  'POST /api/detail': [CheckRequest & { id: number }, DetailAnswer]
  'PUT /api/endpoint': [SaveEndpointRequest, SaveEndpointAnswer]
  'POST /api/expected': [SaveExpectedRequest, SaveExpectedAnswer]
  'POST /api/send': [SendRequest, SendAnswer]
  'POST /api/export': [ExportRequest, string]
}

/**
 * What a call of route `K` takes after its method and path: its body, nothing for a route without one, and for a
 * route the server does not have, an argument no call can give, so that the call fails the type check.
 */
export type BodyArgs<K extends string> = K extends keyof Routes
  ? Routes[K][0] extends undefined
    ? []
    : [body: Routes[K][0]]
  : [noSuchRoute: `the server has no route ${K}`]
/** What route `K` answers. */
export type AnswerOf<K extends string> = K extends keyof Routes ? Routes[K][1] : never
