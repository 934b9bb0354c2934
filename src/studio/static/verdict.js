// @ts-check
import { el } from './dom.js'

// The status of one event as a badge: colour and text, never colour alone. The server decides it
// (src/studio/verdict.ts); the page only picks the colour.

const CSS = {
  malformed: 'bad',
  'not sent': 'muted',
  refused: 'bad',
  unmapped: 'bad',
  'mapped, with problems': 'bad',
  'mapped, with warnings': 'warn',
  'not for Movable Ink': 'decided',
  mapped: 'ok'
}

const MARK = { bad: '✗', warn: '!', ok: '✓', muted: '–', decided: '⊘' }

/** Which filter group a status is in. */
export function statusGroup(status) {
  if (status === 'mapped') return 'mapped'
  if (status === 'mapped, with warnings') return 'warnings'
  if (status === 'not sent') return 'not sent'
  if (status === 'not for Movable Ink') return 'decided'
  return 'problems'
}

export function statusBadge(status, id) {
  if (!status) return el('span', { class: 'badge muted', text: '… checking', id })
  const css = CSS[status] || 'warn'
  return el('span', { class: `badge ${css}`, id }, el('span', { 'aria-hidden': 'true', text: MARK[css] + ' ' }), status)
}

// An event against its expected result (the suite's expected file beside its sample): a mark and the words,
// in a badge of its own shape, so it is never taken for the status.
const SUITE = {
  m: ['ok', '=', 'matches expected'],
  d: ['bad', '≠', 'differs from expected'],
  n: ['muted', '○', 'no expectation']
}

export const SUITE_LETTER = { matches: 'm', differs: 'd', none: 'n' }

export function suiteText(letter) {
  return SUITE[letter] ? SUITE[letter][2] : ''
}

export function suiteBadge(letter, id) {
  const known = SUITE[letter]
  if (!known) return null
  const [css, mark, text] = known
  return el('span', { class: `badge expect ${css}`, id }, el('span', { 'aria-hidden': 'true', text: mark + ' ' }), text)
}
