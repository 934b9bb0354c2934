// @ts-check
// What the page holds: the events (as the list shows them), the mappings being edited, the last verdicts,
// the selected event's detail, and which mapping is open in the editor.

/**
 * @typedef {import('../apiTypes').EventView} EventView
 * @typedef {import('../apiTypes').EndpointSpec} EndpointSpec
 * @typedef {import('../apiTypes').VerdictsAnswer} VerdictsAnswer
 * @typedef {import('../apiTypes').CompactRow} CompactRow
 * @typedef {import('../apiTypes').DetailAnswer} DetailAnswer
 * @typedef {import('../apiTypes').PageProblem} PageProblem
 */

/**
 * @typedef {object} PageState
 * @property {EventView[]} events
 * @property {EndpointSpec} endpoint the mappings being edited (as the page holds them: they may have mistakes)
 * @property {string} savedText the mappings as last loaded or saved, to tell whether there are unsaved changes
 * @property {string} saveFile
 * @property {Record<string, string | null>} versions the version of each file as this page last read or saved
 *   it (null: none there), sent with a save: the endpoint file's, and the sample and expected files' the
 *   verdicts came from
 * @property {string[]} schemas
 * @property {VerdictsAnswer | null} verdicts the last answer of POST /api/verdicts
 * @property {Map<number, number>} rowIndex each row's place in the verdicts, by event id
 * @property {string} suitePath the suite file pasted events are saved into as expected (the page's box)
 * @property {string} suiteOff why there is no suite
 * @property {{ id: number, text: string, failed: boolean, conflict?: boolean } | null} savedExpected the last
 *   "Save as expected" of one event, shown in that event's detail
 * @property {DetailAnswer | null} detail the selected event's whole check
 * @property {number | null} selected
 * @property {number} open the mapping open in the editor, by its place
 * @property {PageProblem[]} problems the server's problems with the mappings as edited (none: they compile)
 * @property {'' | 'checking' | 'stale'} checkStatus 'checking' while a check runs, 'stale' while the mappings
 *   have a mistake, '' when the results are current
 * @property {[string, string][]} paths [path, sample] pairs of the loaded events, for autocomplete
 * @property {string | null} pathTarget the id of the jq box last focused: a click in the event's JSON puts its
 *   path there
 * @property {number} seq
 * @property {import('../apiTypes').Vocabulary} vocabulary the statuses, suite states and field types, as the
 *   server names them (GET /api/state)
 */

/** @type {PageState} */
export const state = {
  events: [],
  // Until GET /api/state answers (start() in main.js sets it before anything reads it).
  endpoint: { endpointKey: '', mappings: [] },
  savedText: '',
  saveFile: '',
  versions: {},
  schemas: [],
  verdicts: null,
  rowIndex: new Map(),
  suitePath: '',
  suiteOff: '',
  savedExpected: null,
  detail: null,
  selected: null,
  open: 0,
  problems: [],
  checkStatus: '',
  paths: [],
  pathTarget: null,
  seq: 0,
  // Empty until GET /api/state answers (start() in main.js): nothing is drawn before.
  vocabulary: /** @type {import('../apiTypes').Vocabulary} */ (
    /** @type {unknown} */ ({ statuses: {}, toneMarks: {}, suiteStates: {}, fieldTypes: [] })
  )
}

/**
 * The verdict row of an event, if the last check has one.
 * @param {number} id
 * @returns {CompactRow | undefined}
 */
export function rowOf(id) {
  const at = state.rowIndex.get(id)
  return state.verdicts && at !== undefined ? state.verdicts.rows[at] : undefined
}

/** An event against its expectation after the last check: its letter (verdict.js's suiteLetter); '' unknown. */
/** @param {number} id */
export function suiteLetterOf(id) {
  const at = state.rowIndex.get(id)
  return state.verdicts && at !== undefined ? state.verdicts.suite.states[at] || '' : ''
}

/** @param {number} index */
export function textOf(index) {
  return index >= 0 && state.verdicts ? state.verdicts.texts[index] : ''
}

/** @param {number | null} id */
export function eventOf(id) {
  return state.events.find((e) => e.id === id)
}

export function mappings() {
  return state.endpoint && Array.isArray(state.endpoint.mappings) ? state.endpoint.mappings : []
}

export function isUnsaved() {
  return JSON.stringify(state.endpoint) !== state.savedText
}

// Who redraws what is said in main.js; modules announce what changed and need not know each other.
/** @type {Record<string, (() => void)[]>} */
const listeners = {}

/**
 * @param {string} what
 * @param {() => void} listener
 */
export function on(what, listener) {
  ;(listeners[what] = listeners[what] || []).push(listener)
}

/** @param {string} what */
export function emit(what) {
  for (const listener of listeners[what] || []) listener()
}
