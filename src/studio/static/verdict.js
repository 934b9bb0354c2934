import { el } from './dom.js'

// The status of one event, as the summary table and the badges show it (text, never colour alone). The server
// decides it (src/studio/verdict.ts) and sends it with each checked item; the page only picks a colour.

const CSS = {
  malformed: 'malformed',
  'not sent': 'not-sent',
  refused: 'refused',
  unmapped: 'unmapped',
  'mapped, with problems': 'warn',
  mapped: 'mapped'
}

/** A Movable Ink problem as one line, with its fix when it has one. */
export function problemText(problem) {
  return problem.message + (problem.fix ? ` (fix: ${problem.fix})` : '')
}

export function verdict(item) {
  if (!item) return { status: 'checking', css: 'warn', mapping: '', why: '' }
  return { ...item.verdict, css: CSS[item.verdict.status] || 'warn' }
}

/** The badge that says a verdict's status. */
export function statusBadge(v) {
  return el('span', { class: `badge ${v.css}`, text: v.status })
}
