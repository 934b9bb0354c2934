// @ts-check
import { scheduleCheck } from './check.js'
import { $, $input, el, fill, focusId, keepFocus, shortJson } from './dom.js'
import { pathBox, setBoxValue } from './pathBox.js'
import { applySchema, confirmGuess, guessNote, optionalOffer } from './schemaFields.js'
import { emit, mappings, state } from './state.js'
import { offerUndo } from './undo.js'

// The mapping open in the editor, edited in place in state.endpoint, with each field's value for the selected
// event and its problem beside its path. Every edit re-checks; the inputs are drawn again only when fields or
// mappings are added, removed or moved (the focus is kept, or moved where the action leads).

const inputId = (m, f, property) => `input-${m}-${f === undefined ? 'm' : f}-${property}`
const spotId = (m, f, property) => `problem-${m}-${f === undefined ? 'm' : f}-${property}`

/** After an edit of the mappings: mark them unsaved and re-check. */
export function edited() {
  emit('edited')
  scheduleCheck()
}

/** A redraw after a change of structure, then a re-check. */
function restructured(focus) {
  renderEditor()
  if (focus) focusId(focus)
  edited()
}

export function renderMappingSelect() {
  const select = $('mapping-select')
  const list = mappings()
  const open = Math.min(state.open, list.length - 1)
  select.replaceChildren(
    ...list.map((m, i) =>
      el('option', {
        value: String(i),
        selected: i === open,
        text: `${i + 1}. ${m.name || '(no name)'}${m.active === false ? ' (inactive)' : ''}${counted(i)}`
      })
    )
  )
  $input('move-up').disabled = open <= 0
  $input('move-down').disabled = open < 0 || open >= list.length - 1
}

/** How many events the mapping takes, from the last check. */
function counted(i) {
  if (!state.verdicts) return ''
  const n = state.verdicts.rows.filter((r) => r.mappingIndex === i).length
  return ` · ${n} event${n === 1 ? '' : 's'}`
}

export function renderEditor() {
  keepFocus(() => {
    const list = mappings()
    if (state.open >= list.length) state.open = Math.max(0, list.length - 1)
    renderMappingSelect()
    const key = $input('input-e-m-endpointKey')
    if (key.value !== (state.endpoint.endpointKey || '')) key.value = state.endpoint.endpointKey || ''
    const editor = $('mapping-editor')
    if (!list.length) return editor.replaceChildren(el('p', { class: 'hint', text: 'No mappings yet: add one.' }))
    editor.replaceChildren(mappingForm(list[state.open], state.open))
  })
  updateSpots()
}

function mappingForm(mapping, m) {
  const fields = Array.isArray(mapping.fields) ? mapping.fields : (mapping.fields = [])
  return el(
    'div',
    { class: 'mapping-form' },
    el(
      'div',
      { class: 'mapping-head' },
      textField('Name', mapping, 'name', m),
      schemaPicker(mapping, m),
      el(
        'label',
        { class: 'check' },
        el('input', {
          type: 'checkbox',
          id: inputId(m, undefined, 'active'),
          checked: mapping.active !== false,
          onchange: (e) => {
            mapping.active = e.target.checked
            renderMappingSelect()
            edited()
          }
        }),
        ' Active'
      )
    ),
    el('span', { class: 'problem', id: spotId(m, undefined, 'mapping') }),
    el('label', { for: inputId(m, undefined, 'match'), class: 'box-label', text: 'Match criterion (jq)' }),
    pathBox({
      id: inputId(m, undefined, 'match'),
      value: mapping.match || '',
      label: `Match criterion (jq) of mapping ${m + 1}`,
      describedBy: `match-result ${spotId(m, undefined, 'match')}`,
      kind: 'match',
      onChange: (v) => ((mapping.match = v), edited())
    }),
    el('p', { class: 'match-result', id: 'match-result' }),
    el('p', { class: 'problem', id: spotId(m, undefined, 'match') }),
    el('h3', { class: 'fields-title', text: `Schema fields (${fields.length})` }),
    el('p', { class: 'problem', id: spotId(m, undefined, 'fields') }),
    el(
      'ol',
      { class: 'fields' },
      fields.map((field, f) => fieldCard(mapping, field, m, f))
    ),
    optionalOffer(mapping, (field) => {
      fields.push(field)
      restructured(inputId(m, fields.length - 1, 'path'))
    }),
    el(
      'div',
      { class: 'row' },
      el('button', { type: 'button', id: 'add-field', onclick: () => addField(fields, m) }, 'Add a field'),
      el('button', { type: 'button', id: 'copy-mapping', onclick: () => copyMapping(mapping, m) }, 'Copy as JSON'),
      el(
        'button',
        { type: 'button', id: 'remove-mapping', class: 'danger', onclick: () => removeMapping(m) },
        'Remove mapping'
      ),
      el('span', { id: 'copy-status', role: 'status', 'aria-live': 'polite' })
    )
  )
}

function textField(label, object, key, m, f) {
  const id = inputId(m, f, key)
  return el(
    'div',
    { class: `text-field ${key}` },
    el('label', { for: id, text: label }),
    el('input', {
      type: 'text',
      id,
      value: object[key] === undefined ? '' : String(object[key]),
      spellcheck: 'false',
      autocomplete: 'off',
      'aria-describedby': spotId(m, f, key),
      oninput: (e) => {
        object[key] = e.target.value
        if (f === undefined && key === 'name') renderMappingSelect()
        edited()
      }
    }),
    el('span', { class: 'problem', id: spotId(m, f, key) })
  )
}

/** Movable Ink's predefined schemas and Custom; a name it does not know is kept, and said to be Custom. */
function schemaPicker(mapping, m) {
  const id = inputId(m, undefined, 'schema')
  const known = state.schemas.find((s) => s.toLowerCase() === String(mapping.schema || '').toLowerCase())
  const options = state.schemas.map((s) => el('option', { value: s, selected: s === known, text: s }))
  if (!known)
    options.unshift(
      el('option', {
        value: mapping.schema || '',
        selected: true,
        text: `${mapping.schema || '(none)'}: unknown, would be Custom`
      })
    )
  return el(
    'div',
    { class: 'text-field schema' },
    el('label', { for: id, text: 'Schema' }),
    el(
      'select',
      {
        id,
        'aria-describedby': spotId(m, undefined, 'schema'),
        onchange: (e) => {
          mapping.schema = e.target.value
          applySchema(mapping, mapping.schema)
          restructured()
        }
      },
      options
    ),
    el('span', { class: 'problem', id: spotId(m, undefined, 'schema') })
  )
}

/** A field's number, name, type, required box and remove button, on one line. */
function fieldHead(mapping, field, m, f, what) {
  return el(
    'div',
    { class: 'field-head' },
    el('span', { class: 'field-number', 'aria-hidden': 'true', text: `${f + 1}` }),
    el('input', {
      type: 'text',
      id: inputId(m, f, 'name'),
      class: 'field-name',
      value: field.name || '',
      spellcheck: 'false',
      'aria-label': what('Name'),
      'aria-describedby': spotId(m, f, 'name'),
      oninput: (e) => ((field.name = e.target.value), edited())
    }),
    el(
      'select',
      {
        id: inputId(m, f, 'type'),
        'aria-label': what('Type'),
        onchange: (e) => ((field.type = e.target.value), edited())
      },
      state.vocabulary.fieldTypes.map((t) => el('option', { value: t, selected: (field.type || 'any') === t, text: t }))
    ),
    el(
      'label',
      { class: 'check' },
      el('input', {
        type: 'checkbox',
        id: inputId(m, f, 'required'),
        checked: field.required === true,
        'aria-label': what('Required'),
        onchange: (e) => ((field.required = e.target.checked), edited())
      }),
      ' required'
    ),
    el(
      'button',
      {
        type: 'button',
        class: 'quiet remove',
        id: `remove-field-${m}-${f}`,
        'aria-label': `Remove field ${f + 1} (${field.name || 'no name'})`,
        onclick: () => removeField(mapping, m, f)
      },
      '✕'
    )
  )
}

function fieldCard(mapping, field, m, f) {
  const what = (w) => `${w} of field ${f + 1} (${field.name || 'no name'})`
  return el(
    'li',
    { class: 'field', id: `field-${m}-${f}` },
    fieldHead(mapping, field, m, f, what),
    el('span', { class: 'problem', id: spotId(m, f, 'name') }),
    pathBox({
      id: inputId(m, f, 'path'),
      value: field.path || '',
      label: what('jq path'),
      describedBy: `value-${m}-${f} ${spotId(m, f, 'path')}`,
      kind: 'path',
      onChange: (v) => {
        field.path = v
        // An edited path is the Solutions Architect's, no longer a guess.
        confirmGuess(field)
        document.getElementById(`guess-${m}-${f}`)?.remove()
        edited()
      }
    }),
    guessNote(field, `guess-${m}-${f}`, () => {
      confirmGuess(field)
      restructured(inputId(m, f, 'path'))
    }),
    el('div', { class: 'value', id: `value-${m}-${f}` }),
    el('div', { class: 'problem', id: spotId(m, f, 'path') })
  )
}

function addField(fields, m) {
  fields.push({ name: '', path: '.', type: 'string', required: false })
  restructured(inputId(m, fields.length - 1, 'name'))
}

function removeField(mapping, m, f) {
  const [field] = mapping.fields.splice(f, 1)
  renderEditor()
  edited()
  offerUndo(`Removed field ${f + 1} "${field.name || 'no name'}" of mapping ${m + 1}.`, () => {
    mapping.fields.splice(f, 0, field)
    state.open = m
    restructured(`remove-field-${m}-${f}`)
  })
}

function removeMapping(m) {
  const list = mappings()
  const [mapping] = list.splice(m, 1)
  state.open = Math.min(m, list.length - 1)
  renderEditor()
  edited()
  offerUndo(`Removed mapping ${m + 1} "${mapping.name}".`, () => {
    list.splice(m, 0, mapping)
    state.open = m
    restructured('remove-mapping')
  })
}

/** Earlier mappings win: Movable Ink takes the first active one whose criterion holds. */
export function moveMapping(by) {
  const list = mappings()
  const to = state.open + by
  if (to < 0 || to >= list.length) return
  const [mapping] = list.splice(state.open, 1)
  list.splice(to, 0, mapping)
  state.open = to
  restructured(by < 0 ? (to > 0 ? 'move-up' : 'move-down') : to < list.length - 1 ? 'move-down' : 'move-up')
}

export function openMapping(index) {
  state.open = index
  renderEditor()
}

export function addMapping() {
  mappings().push({
    name: 'New mapping',
    schema: 'Custom',
    match: '.type == "track"',
    active: true,
    fields: [{ name: 'Timestamp', path: '.timestamp', type: 'number', required: true }]
  })
  state.open = mappings().length - 1
  restructured(inputId(state.open, undefined, 'name'))
}

/** The server's first mapping for an unmapped event, named apart from the others, opened for editing. */
export function addMappingFor(newMapping) {
  const mapping = JSON.parse(JSON.stringify(newMapping))
  const names = new Set(mappings().map((m) => m.name))
  for (let n = 2; names.has(mapping.name); n++) mapping.name = `${newMapping.name} (${n})`
  mappings().push(mapping)
  state.open = mappings().length - 1
  restructured(inputId(state.open, undefined, 'match'))
}

/** A path the check suggests (such as the timestamp conversion), put into the open mapping's field. */
export function usePath(m, f, path) {
  if (state.open !== m) {
    state.open = m
    renderEditor()
  }
  setBoxValue(inputId(m, f, 'path'), path)
}

async function copyMapping(mapping, m) {
  const text = JSON.stringify(mapping, null, 2)
  const status = $('copy-status')
  try {
    await navigator.clipboard.writeText(text)
    status.textContent = `Copied mapping ${m + 1} as JSON.`
  } catch {
    // No clipboard (an old browser, or permission refused): the JSON, selected, to copy by hand.
    const area = el('textarea', {
      class: 'jq copy',
      rows: 8,
      readonly: true,
      'aria-label': `Mapping ${m + 1} as JSON`,
      value: text
    })
    status.replaceChildren(area)
    area.select()
    area.focus()
  }
}

/** The Movable Ink side of the selected event, whichever mapping took it (the caller compares). */
function selectedEvaluation() {
  const mi = state.detail && (state.detail.results.find((r) => r.movableInk) || {}).movableInk
  return mi || null
}

/** The values, match result and problems beside their inputs, after every check, without redrawing inputs. */
export function updateSpots() {
  document.querySelectorAll('#mapping-editor .problem').forEach((n) => n.replaceChildren())
  const m = state.open
  const mapping = mappings()[m]
  if (!mapping) return
  const mi = selectedEvaluation()
  const takes = mi && mi.mapping && mi.mapping.index === m
  const result = document.getElementById('match-result')
  if (result) fill(result, matchLine(mi, m, mapping))
  ;(mapping.fields || []).forEach((field, f) => {
    const spot = document.getElementById(`value-${m}-${f}`)
    if (!spot) return
    const got = takes ? mi.fields[f] : undefined
    fill(spot, got && got.name === field.name ? valueLine(got, m, f) : noValue(mi, takes))
  })
  const warnings = state.verdicts ? state.verdicts.boxWarnings || [] : []
  for (const w of warnings) {
    const spot = w.mapping === m ? document.getElementById(spotId(m, undefined, w.property)) : null
    if (spot) spot.append(el('span', { class: 'warn-text', text: `! ${w.message}` }))
  }
  for (const p of state.problems) {
    if (p.mapping !== m) continue
    const spot = document.getElementById(spotId(m, p.field, p.property || 'mapping'))
    if (spot)
      spot.append(
        el('span', { text: `✗ ${p.message}` }),
        p.hint ? el('span', { class: 'hint-text', text: ` Hint: ${p.hint}` }) : ''
      )
  }
}

function matchLine(mi, m, mapping) {
  if (!state.detail) return []
  const label = state.detail.label || 'the selected event'
  if (!mi) return [`Nothing of ${label} reaches Movable Ink.`]
  if (mi.mapping && mi.mapping.index === m) return [el('strong', { class: 'ok-text', text: '✓ Takes' }), ` ${label}.`]
  if (mi.otherMatches.some((o) => o.index === m))
    return [`Matches ${label} too, but mapping ${mi.mapping.index + 1} "${mi.mapping.name}" comes first and takes it.`]
  if (mapping.active === false) return [`Inactive: takes no event.`]
  return [
    el('strong', { text: '✗ Does not match' }),
    ` ${label}${mi.mapping ? `; mapping ${mi.mapping.index + 1} "${mi.mapping.name}" takes it` : ''}.`
  ]
}

function noValue(mi, takes) {
  if (!state.detail) return []
  if (takes) return [el('span', { class: 'muted', text: 'Value: appears after the check.' })]
  return [el('span', { class: 'muted', text: 'Value: shown for an event this mapping takes.' })]
}

function valueLine(got, m, f) {
  const fieldHints = ((state.detail && state.detail.notes.fieldHints) || []).filter((h) => h.field === got.name)
  const mark = got.problem ? '✗' : got.present ? '✓' : '–'
  return [
    el(
      'div',
      { class: `value-line ${got.problem ? 'bad' : got.present ? 'ok' : 'none'}` },
      el('span', { class: 'mark', 'aria-hidden': 'true', text: mark }),
      el('span', {
        class: 'visually-hidden',
        text: got.problem ? 'Problem. ' : got.present ? 'Has a value. ' : 'No value. '
      }),
      'Value for this event: ',
      el('code', { text: got.value === undefined ? '(no value)' : shortJson(got.value) })
    ),
    got.problem ? el('div', { class: 'problem-text', text: got.problem }) : null,
    got.fix
      ? el(
          'div',
          { class: 'fix' },
          `Hint: ${got.fix.what}; it gives ${shortJson(got.fix.value, 60)}. `,
          el(
            'button',
            { type: 'button', id: `use-fix-${m}-${f}`, onclick: () => usePath(m, f, got.fix.path) },
            `Use this path for ${got.name}`
          )
        )
      : null,
    ...fieldHints.map((h, i) =>
      el(
        'div',
        { class: 'fix' },
        `Hint: ${h.text} `,
        h.path ? el('code', { text: h.path }) : null,
        h.path ? ' ' : null,
        h.path
          ? el(
              'button',
              { type: 'button', id: `use-hint-${m}-${f}-${i}`, onclick: () => usePath(m, f, h.path) },
              `Use this path for ${got.name}`
            )
          : null
      )
    )
  ]
}
