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
  mapped: 'ok'
}

const MARK = { bad: '✗', warn: '!', ok: '✓', muted: '–' }

/** Which filter group a status is in. */
export function statusGroup(status) {
  if (status === 'mapped') return 'mapped'
  if (status === 'mapped, with warnings') return 'warnings'
  if (status === 'not sent') return 'not sent'
  return 'problems'
}

export function statusBadge(status, id) {
  if (!status) return el('span', { class: 'badge muted', text: '… checking', id })
  const css = CSS[status] || 'warn'
  return el('span', { class: `badge ${css}`, id }, el('span', { 'aria-hidden': 'true', text: MARK[css] + ' ' }), status)
}
