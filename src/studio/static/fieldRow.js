import { el } from './dom.js'
import { inputId, problemId, problemSpot, storeInto } from './mappingInputs.js'

// One schema field of a mapping, as a row of the mapping's fields table. The inputs have no visible labels
// of their own (the column headers are), so each says in its aria-label which field and mapping it is for.

const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'array', 'object', 'any']

export function fieldRow(mapping, field, m, f, onRemove) {
  const label = (what) => `${what} of field ${f + 1} of mapping ${mapping.name || m + 1}`
  return el(
    'tr',
    {},
    textCell(field, 'name', label('Name'), m, f),
    textCell(field, 'path', label('jq path'), m, f),
    el('td', {}, typeSelect(field, label('Type'), inputId(m, f, 'type')), problemSpot(m, f, 'type')),
    el('td', {}, requiredCheckbox(field, label('Required'))),
    el('td', {}, el('button', { type: 'button', 'aria-label': label('Remove'), onclick: onRemove }, 'Remove'))
  )
}

function textCell(field, key, label, m, f) {
  return el(
    'td',
    {},
    el('input', {
      type: 'text',
      value: field[key] === undefined ? '' : field[key],
      'aria-label': label,
      'aria-describedby': problemId(m, f, key),
      spellcheck: 'false',
      class: 'wide',
      oninput: storeInto(field, key, (input) => input.value)
    }),
    problemSpot(m, f, key)
  )
}

function typeSelect(field, label, id) {
  return el(
    'select',
    { id, 'aria-label': label, onchange: storeInto(field, 'type', (select) => select.value) },
    FIELD_TYPES.map((t) => el('option', { value: t, selected: (field.type || 'any') === t, text: t }))
  )
}

function requiredCheckbox(field, label) {
  return el('input', {
    type: 'checkbox',
    'aria-label': label,
    checked: field.required === true,
    onchange: storeInto(field, 'required', (input) => input.checked)
  })
}
