// @ts-check
import { el } from './dom.js'
import { state } from './state.js'

// The status of one event as a badge: colour and text, never colour alone. The server decides the status
// (src/studio/verdict.ts) and names, once for both sides, each status's tone and filter group and each suite
// state's letter, mark and words (src/studio/vocabulary.ts, sent in GET /api/state): the page only draws them.

/**
 * @typedef {import('../apiTypes').Status} Status
 * @typedef {import('../apiTypes').StatusGroup} StatusGroup
 * @typedef {import('../apiTypes').SuiteState} SuiteState
 */

/**
 * Which filter group a status is in.
 * @param {Status} status
 * @returns {StatusGroup}
 */
export function statusGroup(status) {
  const known = state.vocabulary.statuses[status]
  return known ? known.group : 'problems'
}

/**
 * @param {Status | undefined | null} status
 * @param {string} [id]
 */
export function statusBadge(status, id) {
  if (!status) return el('span', { class: 'badge muted', text: '… checking', id })
  const known = state.vocabulary.statuses[status]
  const tone = known ? known.tone : 'warn'
  const mark = state.vocabulary.toneMarks[tone]
  return el('span', { class: `badge ${tone}`, id }, el('span', { 'aria-hidden': 'true', text: mark + ' ' }), status)
}

// An event against its expected result (the suite's expected file beside its sample): a mark and the words,
// in a badge of its own shape, so it is never taken for the status.

/**
 * The suite state a letter of the verdicts' `suite.states` stands for.
 * @param {string} letter
 */
function suiteStateOf(letter) {
  return Object.values(state.vocabulary.suiteStates).find((s) => s.letter === letter)
}

/**
 * The letter of a suite state, as the verdicts give it per event.
 * @param {SuiteState} name
 */
export function suiteLetter(name) {
  const known = state.vocabulary.suiteStates[name]
  return known ? known.letter : ''
}

/** @param {string} letter */
export function suiteText(letter) {
  const known = suiteStateOf(letter)
  return known ? known.text : ''
}

/**
 * @param {string} letter
 * @param {string} [id]
 */
export function suiteBadge(letter, id) {
  const known = suiteStateOf(letter)
  if (!known) return null
  return el(
    'span',
    { class: `badge expect ${known.tone}`, id },
    el('span', { 'aria-hidden': 'true', text: known.mark + ' ' }),
    known.text
  )
}
