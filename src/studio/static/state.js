// What the page holds: the events (as the list shows them), the mappings being edited, the last verdicts,
// the selected event's detail, and which mapping is open in the editor.

export const state = {
  /** [{id, label, where, malformed?}] */
  events: [],
  endpoint: null,
  /** The mappings as last loaded or saved, to tell whether there are unsaved changes. */
  savedText: '',
  saveFile: '',
  /**
   * The version of each file as this page last read or saved it (null: none there), sent with a save: the
   * endpoint file's, and the sample and expected files' the verdicts came from.
   */
  versions: {},
  schemas: [],
  /** The last answer of POST /api/verdicts: {rows, texts, summary, endpointWarnings, suite}. */
  verdicts: null,
  /** Each row's place in the verdicts, by event id. */
  rowIndex: new Map(),
  /** The suite file pasted events are saved into as expected (the page's box), and why there is no suite. */
  suitePath: '',
  suiteOff: '',
  /** The last "Save as expected" of one event: {id, text, failed, conflict}, shown in that event's detail. */
  savedExpected: null,
  /** The selected event's whole check (POST /api/detail). */
  detail: null,
  selected: null,
  /** The mapping open in the editor, by its place. */
  open: 0,
  /** The server's problems with the mappings as edited (none: they compile). */
  problems: [],
  /** 'checking' while a check runs, 'stale' while the mappings have a mistake, '' when the results are current. */
  checkStatus: '',
  /** [path, sample] pairs of the loaded events, for autocomplete. */
  paths: [],
  /** The id of the jq box last focused: a click in the event's JSON puts its path there. */
  pathTarget: null,
  seq: 0
}

/** The verdict row of an event, if the last check has one. */
export function rowOf(id) {
  const at = state.rowIndex.get(id)
  return state.verdicts && at !== undefined ? state.verdicts.rows[at] : undefined
}

/** An event against its expectation after the last check: 'm' matches, 'd' differs, 'n' none; '' unknown. */
export function suiteLetterOf(id) {
  const at = state.rowIndex.get(id)
  return state.verdicts && at !== undefined ? state.verdicts.suite.states[at] || '' : ''
}

export function textOf(index) {
  return index >= 0 && state.verdicts ? state.verdicts.texts[index] : ''
}

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
const listeners = {}

export function on(what, listener) {
  ;(listeners[what] = listeners[what] || []).push(listener)
}

export function emit(what) {
  for (const listener of listeners[what] || []) listener()
}
