import { scheduleCheck } from './check.js'
import { $, el, headRow } from './dom.js'
import { fieldRow } from './fieldRow.js'
import { checkbox, problemSpot, textInput } from './mappingInputs.js'
import { showProblems } from './mappingProblems.js'
import { state } from './state.js'

// Section 2: the Movable Ink event mappings, edited in place in state.endpoint. Every edit re-checks.

export function renderEditor() {
  const mappings = state.endpoint && Array.isArray(state.endpoint.mappings) ? state.endpoint.mappings : []
  $('mapping-editor').replaceChildren(
    el('div', { class: 'row' }, textInput('Endpoint key', state.endpoint, 'endpointKey', 'e')),
    ...mappings.map((mapping, m) => mappingBox(mapping, m))
  )
  showProblems()
}

/** After a change that adds or removes inputs: draw the editor again, and re-check. */
function redrawAndCheck() {
  renderEditor()
  scheduleCheck()
}

export function addMapping() {
  state.endpoint.mappings.push({
    name: 'New mapping',
    schema: 'Custom',
    match: '.type == "track"',
    active: true,
    fields: [{ name: 'UserID', path: '.userId', type: 'string', required: false }]
  })
  state.open.add(state.endpoint.mappings.length - 1)
  redrawAndCheck()
}

/** The server's first mapping for an unmapped event, named apart from the others, opened for editing. */
export function addMappingFor(event) {
  const mapping = JSON.parse(JSON.stringify(event.newMapping))
  const names = new Set(state.endpoint.mappings.map((m) => m.name))
  for (let n = 2; names.has(mapping.name); n++) mapping.name = `${event.newMapping.name} (${n})`
  state.endpoint.mappings.push(mapping)
  state.open.add(state.endpoint.mappings.length - 1)
  redrawAndCheck()
  editMapping(state.endpoint.mappings.length - 1)
}

/** The endpoint model's suggested path (such as the timestamp conversion), put into the mapping being edited. */
export function usePath(index, fieldName, path) {
  const mapping = state.endpoint.mappings[index]
  const field = mapping && mapping.fields.find((f) => f.name === fieldName)
  if (!field) return
  field.path = path
  state.open.add(index)
  redrawAndCheck()
}

/** Opens a mapping, brings it into view and puts the cursor in its match criterion. */
export function editMapping(index) {
  state.open.add(index)
  const box = $(`mapping-${index}`)
  if (!box) return
  box.open = true
  box.scrollIntoView({ block: 'start' })
  $(`input-${index}-m-match`).focus()
}

function mappingBox(mapping, m) {
  const fields = Array.isArray(mapping.fields) ? mapping.fields : (mapping.fields = [])
  // Closed unless opened, so nine mappings fit on a screen; a mapping with a problem opens itself.
  return el(
    'details',
    {
      class: 'mapping',
      id: `mapping-${m}`,
      open: state.open.has(m),
      ontoggle: (e) => (e.target.open ? state.open.add(m) : state.open.delete(m))
    },
    mappingSummary(mapping, m),
    problemSpot(m, undefined, 'mapping'),
    el(
      'div',
      { class: 'grid' },
      textInput('Name', mapping, 'name', m),
      textInput('Schema', mapping, 'schema', m),
      textInput(`Match criterion (jq) of ${nameOf(mapping, m)}`, mapping, 'match', m, undefined, true)
    ),
    el('div', { class: 'row' }, checkbox('Active', mapping, 'active', true, m), problemSpot(m, undefined, 'active')),
    fieldsTable(mapping, fields, m),
    problemSpot(m, undefined, 'fields'),
    el('div', { class: 'row' }, addFieldButton(fields), removeMappingButton(mapping, m))
  )
}

/** How labels name a mapping: by its name, or by its place when it has none yet. */
function nameOf(mapping, m) {
  return mapping.name || `mapping ${m + 1}`
}

function mappingSummary(mapping, m) {
  const title = `Mapping ${m + 1}: ${mapping.name || '(no name)'}${mapping.active === false ? ' (inactive)' : ''}`
  return el(
    'summary',
    {},
    el('strong', { text: title }),
    el('code', { class: 'match', text: ` ${mapping.match || ''}` })
  )
}

function fieldsTable(mapping, fields, m) {
  const removeField = (f) => () => {
    fields.splice(f, 1)
    redrawAndCheck()
  }
  return el(
    'table',
    {},
    el('caption', { text: `Schema fields of ${nameOf(mapping, m)}` }),
    headRow(['Name', 'jq path', 'Type', 'Required', '']),
    el(
      'tbody',
      {},
      fields.map((field, f) => fieldRow(mapping, field, m, f, removeField(f)))
    )
  )
}

function addFieldButton(fields) {
  const addField = () => {
    fields.push({ name: '', path: '.', type: 'string', required: false })
    redrawAndCheck()
  }
  return el('button', { type: 'button', onclick: addField }, 'Add a field')
}

function removeMappingButton(mapping, m) {
  const removeMapping = () => {
    state.endpoint.mappings.splice(m, 1)
    // The open boxes are kept by index, and the indexes after this one shift.
    state.open.clear()
    redrawAndCheck()
  }
  return el('button', { type: 'button', onclick: removeMapping }, `Remove mapping ${mapping.name || m + 1}`)
}
