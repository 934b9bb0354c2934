import { FIELD_TYPES } from '../endpointModel'

/**
 * The studio's words, defined once for the server and the page: each status an event can have (its tone, the
 * page's filter group, the order the report lists them in), each standing against an expected file (its letter
 * in the compact verdicts, its mark and words), and the field types. The report uses them here; the page gets
 * them in GET /api/state (`vocabulary`) and draws with them, so neither side spells them again.
 */

/** An event's status in one word or two, as the page's badges and the report show it (verdict.ts decides it). */
export type Status =
  | 'malformed'
  | 'not sent'
  | 'refused'
  | 'unmapped'
  | 'mapped, with problems'
  | 'mapped, with warnings'
  | 'not for Movable Ink'
  | 'mapped'

/** A badge's colour (never alone: each has its mark). */
export type Tone = 'bad' | 'warn' | 'ok' | 'muted' | 'decided'

/** The page's status filter. */
export type StatusGroup = 'problems' | 'warnings' | 'mapped' | 'not sent' | 'decided'

/** Every status, worst first (the order of the page's filter and of the report), with its tone and group. */
export const STATUSES: Record<Status, { tone: Tone; group: StatusGroup }> = {
  malformed: { tone: 'bad', group: 'problems' },
  refused: { tone: 'bad', group: 'problems' },
  unmapped: { tone: 'bad', group: 'problems' },
  'mapped, with problems': { tone: 'bad', group: 'problems' },
  'mapped, with warnings': { tone: 'warn', group: 'warnings' },
  'not for Movable Ink': { tone: 'decided', group: 'decided' },
  'not sent': { tone: 'muted', group: 'not sent' },
  mapped: { tone: 'ok', group: 'mapped' }
}

/** Worst first: the order the page's filter and the report list events in. */
export const STATUS_ORDER = Object.keys(STATUSES) as Status[]

export const TONE_MARKS: Record<Tone, string> = { bad: '✗', warn: '!', ok: '✓', muted: '–', decided: '⊘' }

/** An event against its entry in the expected file beside its sample (`movable-ink test`'s suites). */
export type SuiteState = 'matches' | 'differs' | 'none'

/** Each state: its letter in the compact verdicts (one per event), its badge, and its words. */
export const SUITE_STATES: Record<SuiteState, { letter: string; tone: Tone; mark: string; text: string }> = {
  matches: { letter: 'm', tone: 'ok', mark: '=', text: 'matches expected' },
  differs: { letter: 'd', tone: 'bad', mark: '≠', text: 'differs from expected' },
  none: { letter: 'n', tone: 'muted', mark: '○', text: 'no expectation' }
}

/** What the page gets in GET /api/state. */
export const VOCABULARY = {
  statuses: STATUSES,
  toneMarks: TONE_MARKS,
  suiteStates: SUITE_STATES,
  fieldTypes: FIELD_TYPES
}

export type Vocabulary = typeof VOCABULARY
