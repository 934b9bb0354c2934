import { api } from './api.js'
import { recheck } from './check.js'
import { $, el, showError } from './dom.js'
import { checkedItem, select, state } from './state.js'
import { statusBadge, verdict } from './verdict.js'

// Section 1: the events list, and adding events by pasting, choosing files or dropping them on the page.

export function renderEvents() {
  const list = $('event-list')
  list.replaceChildren()
  if (state.events.length === 0) list.append(el('li', { text: 'No events yet: paste one below.' }))
  for (const event of state.events) list.append(eventItem(event))
}

function eventItem(event) {
  const selected = state.selected === event.id
  const label = `${event.event || 'malformed'} (${event.source}:${event.line})`
  return el(
    'li',
    { class: selected ? 'selected' : '', 'data-event-id': event.id },
    el(
      'button',
      { type: 'button', class: 'pick', 'aria-pressed': String(selected), onclick: () => select(event.id) },
      label
    ),
    statusBadge(verdict(checkedItem(event.id))),
    el('button', { type: 'button', 'aria-label': `Remove ${label}`, onclick: () => removeEvent(event.id) }, 'Remove')
  )
}

async function removeEvent(id) {
  try {
    await api('DELETE', `/api/events/${id}`)
    state.events = state.events.filter((e) => e.id !== id)
    if (state.selected === id) state.selected = state.events.length ? state.events[0].id : null
    await recheck()
  } catch (error) {
    showError('error', error.message)
  }
}

/** Adds the events in a text (a paste or a file's), selects the first and re-checks. */
async function addText(text, name) {
  const { added } = await api('POST', '/api/events', { text, name })
  state.events.push(...added)
  if (added.length) state.selected = added[0].id
  await recheck()
  return added
}

export async function addPaste() {
  showError('paste-error', '')
  try {
    const added = await addText($('paste').value)
    $('paste').value = ''
    $('summary-line').textContent =
      `Added ${added.length} event${added.length === 1 ? '' : 's'}. ` + $('summary-line').textContent
  } catch (error) {
    showError('paste-error', error.message)
  }
}

/** One file after the other, so a bad file does not stop the rest. */
export async function addFiles(files) {
  showError('paste-error', '')
  for (const file of files) {
    try {
      await addText(await file.text(), file.name)
    } catch (error) {
      showError('paste-error', `${file.name}: ${error.message}`)
    }
  }
}

/** Files dropped anywhere on the page are added; the page shows it is a drop target meanwhile. */
export function wireDrop() {
  // dragenter and dragleave come for every child element crossed, so only the count says the drag left.
  let depth = 0
  document.addEventListener('dragenter', (e) => (e.preventDefault(), depth++, document.body.classList.add('dragging')))
  document.addEventListener('dragleave', () => --depth <= 0 && document.body.classList.remove('dragging'))
  document.addEventListener('dragover', (e) => e.preventDefault())
  document.addEventListener('drop', (e) => {
    e.preventDefault()
    depth = 0
    document.body.classList.remove('dragging')
    if (e.dataTransfer && e.dataTransfer.files.length) addFiles(Array.from(e.dataTransfer.files))
  })
}
