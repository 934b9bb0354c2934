// @ts-check
import { el } from './dom.js'
import { state } from './state.js'

// The fields a Movable Ink schema brings: choosing one adds its required fields, and offers its optional ones,
// with paths the server guessed from the selected event (src/studio/schemaFields.ts). A guessed path is marked
// until the Solutions Architect confirms or edits it; the mark lives on the page only, never in the file.

/** Fields whose path is a guess to confirm: field object -> whether the selected event had a value there. */
const guessed = new WeakMap()

/** The Custom fields a new mapping starts with, dropped for a schema without them while still untouched. */
const STARTERS = { UserID: '.userId', AnonymousId: '.anonymousId' }

const same = (a, b) => String(a).toLowerCase() === String(b).toLowerCase()

function suggestions(schema) {
  const all = state.detail && state.detail.schemaFields
  return (all && all[schema]) || []
}

function newField(s) {
  const field = { name: s.name, path: s.path, type: s.type, required: s.required }
  guessed.set(field, s.found)
  return field
}

/** The schema's required fields added (a field of that name already there is kept, and made required). */
export function applySchema(mapping, schema) {
  const suggested = suggestions(schema)
  if (!suggested.length) return
  mapping.fields = (mapping.fields || []).filter(
    (f) => suggested.some((s) => same(s.name, f.name)) || !(STARTERS[f.name] === f.path && !f.required)
  )
  for (const s of suggested.filter((x) => x.required)) {
    const have = mapping.fields.find((f) => same(f.name, s.name))
    if (have) have.required = true
    else mapping.fields.push(newField(s))
  }
}

export function isGuess(field) {
  return guessed.has(field)
}

export function confirmGuess(field) {
  guessed.delete(field)
}

/** Beside a guessed path: where it came from, and a button that confirms it. */
export function guessNote(field, id, onConfirm) {
  if (!guessed.has(field)) return null
  const found = guessed.get(field)
  return el(
    'p',
    { class: 'guess', id },
    found
      ? 'Guessed from the selected event (a standard Segment property): confirm it, or edit it. '
      : 'Guessed: the selected event has no value there, so this is only the usual place: edit it, or confirm it. ',
    el('button', { type: 'button', id: `${id}-confirm`, onclick: onConfirm }, 'Confirm')
  )
}

/** The schema's optional fields the mapping does not have, each a button that adds it with its guessed path. */
export function optionalOffer(mapping, onAdd) {
  const missing = suggestions(mapping.schema).filter(
    (s) => !s.required && !(mapping.fields || []).some((f) => same(f.name, s.name))
  )
  if (!missing.length) return null
  return el(
    'p',
    { class: 'row optional-fields' },
    `Optional fields of the ${mapping.schema} schema:`,
    missing.map((s) =>
      el('button', { type: 'button', id: `add-optional-${s.name}`, onclick: () => onAdd(newField(s)) }, `+ ${s.name}`)
    )
  )
}
