// @ts-check
import { decideButton, decidedNote, focusDecidedReason } from './decisions.js'
import { $, el, fill, keepFocus, titledList } from './dom.js'
import { groupOf, select } from './events.js'
import { expectedSection } from './expected.js'
import { highlight, jsonView } from './jsonView.js'
import { addMappingFor, openMapping } from './mappingEditor.js'
import { eventOf, state } from './state.js'
import { statusBadge } from './verdict.js'

// The selected event's two sides: what Movable Ink makes of it (its problems, warnings and hints; the field
// values are in the editor beside their paths), what it receives (the JSON to pick paths from), and Segment's
// side (the subscription, the exact request with `Basic [redacted]`, its size, errors and warnings).

export function renderDetail() {
  keepFocus(() => fill($('detail'), detailParts()))
  highlight()
  renderEventMappingNote()
}

function detailParts() {
  const d = state.detail
  if (!d) return [el('p', { class: 'hint', text: state.events.length ? 'Pick an event.' : 'No events yet.' })]
  const event = eventOf(d.id)
  const head = el(
    'div',
    { class: 'detail-head' },
    el(
      'h3',
      { id: 'detail-title' },
      d.label || d.event || 'malformed',
      ' ',
      statusBadge(d.verdict.status, 'detail-status')
    ),
    el('p', { class: 'where', text: event ? event.where : '' }),
    groupNav(d.id)
  )
  if (d.malformed) return [head, el('p', { class: 'error', text: d.malformed })]
  const mi = (d.results.find((r) => r.movableInk) || {}).movableInk
  const problems = mi ? mi.problems.map((p) => p.message + (p.fix ? ` (fix: ${p.fix})` : '')) : []
  return [
    head,
    expectedSection(d),
    titledList('Problems', [...d.results.flatMap((r) => r.errors), ...problems], 'problems'),
    titledList('Hints', d.notes.hints, 'hints'),
    titledList('Warnings', d.verdict.warnings, 'warnings'),
    el('h4', { text: 'What Movable Ink receives' }),
    el('p', {
      class: 'hint',
      id: 'json-note',
      text: 'Pick a key or value to put its path in the jq box you were last in.'
    }),
    d.received === undefined ? el('p', { text: 'Nothing: the destination would not send it.' }) : jsonView(d.received),
    ...d.results.map(segmentSide),
    d.results.length ? null : el('p', { text: 'No subscription takes this event: it would not be sent.' })
  ]
}

/** For a group of alike events: which one this is, and buttons to the others. */
function groupNav(id) {
  const ids = groupOf(id)
  if (ids.length < 2) return null
  const at = ids.indexOf(id)
  return el(
    'p',
    { class: 'row group-nav' },
    `Event ${at + 1} of ${ids.length} alike `,
    el(
      'button',
      { type: 'button', id: 'group-prev', disabled: at === 0, onclick: () => select(ids[at - 1]) },
      'Previous'
    ),
    el(
      'button',
      { type: 'button', id: 'group-next', disabled: at === ids.length - 1, onclick: () => select(ids[at + 1]) },
      'Next'
    )
  )
}

function segmentSide(result) {
  return el(
    'details',
    { class: 'segment', id: `segment-${result.subscription}`, open: result.errors.length > 0 },
    el(
      'summary',
      {},
      `Segment: subscription "${result.subscription}"`,
      result.errors.length ? ` (${result.errors.length} errors)` : ''
    ),
    titledList('Errors (would be refused)', result.errors, 'problems'),
    el('h4', { text: 'The request, exactly as the destination makes it' }),
    result.request
      ? el('pre', { class: 'request', text: requestText(result.request) })
      : el('p', { text: 'None: the destination refuses it before sending.' }),
    result.size ? el('p', { text: sizeText(result.size) }) : null,
    el('h4', { text: 'Mapped Data' }),
    el('pre', { text: JSON.stringify(result.mappedPayload, null, 2) })
  )
}

function requestText(request) {
  const headers = request.headers.map(([n, v]) => `${n}: ${v}`).join('\n')
  return `${request.method} ${request.url}\n${headers}\n\n${request.body}`
}

function sizeText(size) {
  return `Size: ${size.bytes} bytes, ${size.percentOfLimit}% of the ${size.limitBytes}-byte limit (${
    size.withinLimit ? 'within' : 'over'
  } it)`
}

/** Above the editor: which mapping takes the selected event, or a button to add one. */
function renderEventMappingNote() {
  const note = $('event-mapping-note')
  const d = state.detail
  const mi = d && (d.results.find((r) => r.movableInk) || {}).movableInk
  keepFocus(() => {
    if (!d || !mi) return note.replaceChildren()
    if (mi.notForMovableInk) return fill(note, decidedNote(d.label, mi.notForMovableInk))
    const taking = mi.mapping
    if (taking) {
      const open = state.open === taking.index
      return note.replaceChildren(
        el(
          'p',
          { class: 'takes' },
          `${d.label} is taken by mapping ${taking.index + 1} "${taking.name}" (schema ${taking.schema})`,
          open ? '.' : ' ',
          open
            ? null
            : el('button', { type: 'button', id: 'open-taking', onclick: () => openMapping(taking.index) }, 'Open it')
        )
      )
    }
    fill(
      note,
      el(
        'div',
        { class: 'unmapped-note' },
        el('p', {}, el('strong', { text: 'No mapping takes ' }), el('strong', { text: d.label || 'this event' }), '.'),
        ...d.notes.hints.map((h) => el('p', { class: 'hint-text', text: h })),
        el(
          'p',
          { class: 'row' },
          d.newMapping
            ? el(
                'button',
                { type: 'button', id: 'add-mapping-for', onclick: () => addMappingFor(d.newMapping) },
                'Add a mapping for this event'
              )
            : null,
          d.newDecision ? decideButton(d.newDecision) : null
        )
      )
    )
  })
  focusDecidedReason()
}
