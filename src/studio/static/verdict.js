import { el } from './dom.js'

// The status of one event, as the summary table and the badges show it (text, never colour alone).

/** A Movable Ink problem as one line, with its fix when it has one. */
export function problemText(problem) {
  return problem.message + (problem.fix ? ` (fix: ${problem.fix})` : '')
}

export function verdict(item) {
  if (!item) return { status: 'checking', css: 'warn', mapping: '', why: '' }
  if (item.malformed) return { status: 'malformed', css: 'malformed', mapping: '', why: item.malformed }
  if (item.results.length === 0)
    return { status: 'not sent', css: 'not-sent', mapping: '', why: 'no subscription matches it' }
  const errors = item.results.flatMap((r) => r.errors)
  const mi = (item.results.find((r) => r.movableInk) || {}).movableInk
  const problems = mi ? mi.problems.map(problemText) : []
  const why = errors.concat(problems).join('; ')
  const mapping = mi && mi.mapping ? mi.mapping.name : ''
  if (errors.length) return { status: 'refused', css: 'refused', mapping, why }
  if (!mapping) return { status: 'unmapped', css: 'unmapped', mapping, why }
  if (problems.length) return { status: 'mapped, with problems', css: 'warn', mapping, why }
  return { status: 'mapped', css: 'mapped', mapping, why }
}

/** The badge that says a verdict's status. */
export function statusBadge(v) {
  return el('span', { class: `badge ${v.css}`, text: v.status })
}
