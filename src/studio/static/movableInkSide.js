import { el, headRow, titledList } from './dom.js'
import { addMappingFor, editMapping, usePath } from './mappingEditor.js'
import { problemText } from './verdict.js'

// Movable Ink's side of one subscription's result: which event mapping takes the event, and what each of its
// fields gets from it, with buttons to edit that mapping, use a suggested path, or add a mapping.

export function movableInkSide(mi, event) {
  if (!mi)
    return el('div', {}, el('h4', { text: 'Movable Ink' }), el('p', { text: 'Nothing would reach Movable Ink.' }))
  return el(
    'div',
    {},
    el('h4', { text: headingOf(mi.mapping) }),
    mappingButton(mi.mapping, event),
    mi.fields.length ? fieldsTable(mi) : null,
    titledList('Problems', mi.problems.map(problemText)),
    titledList('Warnings', mi.warnings),
    mi.otherMatches.length
      ? el('p', { text: `Also matched (unused): ${mi.otherMatches.map((o) => o.name).join(', ')}` })
      : null
  )
}

function headingOf(mapping) {
  return mapping
    ? `Movable Ink: event mapping "${mapping.name}" (schema ${mapping.schema})`
    : 'Movable Ink: no event mapping takes this event'
}

/** Edit the mapping that takes the event or, when none does, add the server's first mapping for it. */
function mappingButton(mapping, event) {
  if (mapping)
    return el('button', { type: 'button', onclick: () => editMapping(mapping.index) }, `Edit mapping "${mapping.name}"`)
  if (event && event.newMapping)
    return el('button', { type: 'button', onclick: () => addMappingFor(event) }, 'Add a mapping for this event')
  return null
}

function fieldsTable(mi) {
  return el(
    'table',
    { class: 'fields' },
    headRow(['Field', 'jq path', 'Value', 'Check']),
    el(
      'tbody',
      {},
      mi.fields.map((f) => fieldRow(f, mi.mapping))
    )
  )
}

function fieldRow(f, mapping) {
  return el(
    'tr',
    {},
    el('td', { text: f.name + (f.required ? ' (required)' : '') }),
    el('td', {}, el('code', { text: f.path })),
    el('td', {}, el('code', { text: f.value === undefined ? '(no value)' : JSON.stringify(f.value) })),
    el('td', {}, ...checkCell(f, mapping))
  )
}

/** The field's check, and the endpoint model's hint (such as a timestamp conversion) with a button to use it. */
function checkCell(f, mapping) {
  return [
    f.problem ? `✗ ${f.problem}` : f.present ? '✓' : '-',
    f.fix ? ` Hint: ${f.fix.what}: ${f.fix.path} gives ${JSON.stringify(f.fix.value)} ` : null,
    f.fix && mapping
      ? el(
          'button',
          { type: 'button', onclick: () => usePath(mapping.index, f.name, f.fix.path) },
          `Use this path for ${f.name}`
        )
      : null
  ]
}
