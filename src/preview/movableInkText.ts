import type { EventEvaluation } from '../endpointModel'

/** preview's "Movable Ink" section: what the endpoint's event mappings make of one event, for people. */

const MAX_VALUE = 70

function shown(value: unknown): string {
  if (value === undefined) return '(no value)'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text
}

export function formatMovableInk(evaluation: EventEvaluation, label: string): string[] {
  const lines: string[] = []
  if (evaluation.mapping) {
    const { name, schema } = evaluation.mapping
    lines.push(`Movable Ink${label}: event mapping "${name}" (schema ${schema})`)
    const width = Math.max(...evaluation.fields.map((f) => f.name.length + (f.required ? 2 : 0)), 5)
    for (const field of evaluation.fields) {
      const name = field.required ? `${field.name} *` : field.name
      const mark = field.problem ? '✗' : field.present ? '✓' : '-'
      lines.push(`  ${mark} ${name.padEnd(width)}  ${shown(field.value)}`)
    }
    lines.push('  (* required; ✓ value, - no value, ✗ problem)')
  } else {
    lines.push(`Movable Ink${label}: no event mapping takes this event`)
  }
  for (const problem of evaluation.problems) {
    lines.push(`  ✗ ${problem.message}`)
    if (problem.fix) lines.push(`    fix: ${problem.fix}`)
  }
  for (const warning of evaluation.warnings) lines.push(`  ! ${warning}`)
  return lines
}
