import { api } from './api.js'
import { loadDetail, recheck } from './check.js'
import { $, el, keepFocus, showError } from './dom.js'
import { emit, rowOf, state, suiteLetterOf, textOf } from './state.js'
import { statusBadge, statusGroup, suiteBadge, suiteText } from './verdict.js'

// The events column: one list, filterable by status, by what differs from its expected result, and by text,
// identical events (same name, same verdict, same against their expectation) in one group; the suite's counts
// and "Save all as expected" (expected.js); adding events by pasting, choosing files or dropping them;
// clearing them.

/** More rows than a screen can use slow the page down; the filter narrows them. */
const MAX_ROWS = 300

/** The list's groups, in load order: [{first, ids, event, row}]. */
function groups() {
  const byGroup = new Map()
  for (const event of state.events) {
    const row = rowOf(event.id)
    const key = row ? row.group : `e${event.id}`
    if (!byGroup.has(key)) byGroup.set(key, { first: event.id, ids: [], event, row })
    byGroup.get(key).ids.push(event.id)
  }
  return [...byGroup.values()]
}

/** The filters of the suite's states: by the letter of the first event of the group (a group shares it). */
const SUITE_FILTERS = { differs: 'd', 'no expectation': 'n' }

function shown(group) {
  const status = $('filter-status').value
  const text = $('filter-text').value.trim().toLowerCase()
  const row = group.row
  const letter = suiteLetterOf(group.first)
  if (status in SUITE_FILTERS) {
    if (letter !== SUITE_FILTERS[status]) return false
  } else if (status !== 'all' && (!row || statusGroup(row.status) !== status)) return false
  if (!text) return true
  const words = [
    group.event.label,
    group.event.where,
    row ? row.status : '',
    row ? textOf(row.why) : '',
    suiteText(letter)
  ]
  if (row) for (const w of row.warnings) words.push(textOf(w))
  return words.join(' ').toLowerCase().includes(text)
}

export function renderEvents() {
  keepFocus(() => {
    const all = groups()
    const visible = all.filter(shown)
    const list = $('event-list')
    $('event-count').textContent = `(${state.events.length})`
    if (state.events.length === 0) {
      list.replaceChildren(el('li', { class: 'empty', text: 'No events yet: add some below.' }))
      $('add-events').open = true
    } else if (visible.length === 0)
      list.replaceChildren(el('li', { class: 'empty', text: 'No event matches the filter.' }))
    else {
      const shownRows = visible.slice(0, MAX_ROWS)
      // One Tab stop for the whole list: the selected event's row (else the first); arrows move within it.
      const stop = shownRows.find((g) => g.ids.includes(state.selected)) || shownRows[0]
      list.replaceChildren(...shownRows.map((g) => eventItem(g, g === stop)))
    }
    const more = $('event-more')
    more.hidden = visible.length <= MAX_ROWS
    more.textContent = `${visible.length - MAX_ROWS} more groups: narrow the filter to see them.`
  })
}

function eventItem(group, tabStop) {
  const { event, ids } = group
  const selected = ids.includes(state.selected)
  const count = ids.length > 1 ? ` ×${ids.length}` : ''
  const name = `${event.label}${count}`
  const where = ids.length > 1 ? `${event.where} and ${ids.length - 1} more` : event.where
  return el(
    'li',
    { class: selected ? 'selected' : '' },
    el(
      'button',
      {
        type: 'button',
        class: 'pick',
        id: `event-${group.first}`,
        tabindex: tabStop ? '0' : '-1',
        'aria-current': selected ? 'true' : null,
        'aria-keyshortcuts': 'ArrowUp ArrowDown Home End Delete',
        onclick: () => select(selected ? state.selected : group.first)
      },
      // Two lines: the name and its status, then the file and the expected result; each line's badge takes
      // only its own width. The full name and place as a tooltip: the column cuts long ones.
      el(
        'span',
        { class: 'line' },
        el('span', { class: 'label', text: name, title: name }),
        statusBadge(group.row && group.row.status)
      ),
      el(
        'span',
        { class: 'line' },
        el('span', { class: 'where', text: where, title: where }),
        state.suiteOff ? null : suiteBadge(suiteLetterOf(group.first))
      )
    ),
    el(
      'button',
      {
        type: 'button',
        class: 'remove quiet',
        id: `remove-event-${group.first}`,
        // Not a Tab stop of its own: Delete on the event's row does the same.
        tabindex: '-1',
        'aria-label':
          ids.length > 1 ? `Remove the ${ids.length} events ${event.label}` : `Remove ${event.label} (${event.where})`,
        onclick: () => removeEvents(ids)
      },
      '✕'
    )
  )
}

/** The event list's keys: arrows, Home and End move to another event and select it; Delete removes it. */
function listKey(e) {
  const picks = Array.from($('event-list').querySelectorAll('button.pick'))
  const at = picks.indexOf(document.activeElement)
  if (at < 0) return
  if (e.key === 'Delete') {
    e.preventDefault()
    return e.target.closest('li').querySelector('button.remove').click()
  }
  const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: picks.length - 1 }[e.key]
  if (to === undefined || to < 0 || to >= picks.length) return
  e.preventDefault()
  picks[to].focus()
  picks[to].click()
}

/** Selects an event: its detail comes from the last check, so this is quick. */
export async function select(id) {
  state.selected = id
  const row = rowOf(id)
  if (row && row.mappingIndex !== null) state.open = row.mappingIndex
  emit('selecting')
  await loadDetail()
  emit('selected')
}

/** The other events of the selected one's group, for "next" and "previous". */
export function groupOf(id) {
  const row = rowOf(id)
  if (!row) return [id]
  return state.verdicts.rows.filter((r) => r.group === row.group).map((r) => r.id)
}

async function removeEvents(ids) {
  try {
    for (const id of ids) await api('DELETE', `/api/events/${id}`)
    const index = state.events.findIndex((e) => e.id === ids[0])
    state.events = state.events.filter((e) => !ids.includes(e.id))
    if (ids.includes(state.selected)) {
      const next = state.events[Math.min(index, state.events.length - 1)]
      state.selected = next ? next.id : null
    }
    await recheck()
    // The focus goes to the event now in the removed one's place, or to the list's filter.
    const next = state.selected !== null && document.getElementById(`event-${groupFirst(state.selected)}`)
    ;(next || $('filter-text')).focus()
  } catch (error) {
    showError('error', error.message)
  }
}

function groupFirst(id) {
  return groupOf(id)[0]
}

async function clearEvents() {
  if (!state.events.length) return
  if (!window.confirm(`Remove all ${state.events.length} events from the studio? The mappings stay.`)) return
  try {
    await api('DELETE', '/api/events')
    state.events = []
    state.selected = null
    await recheck()
    $('paste').focus()
  } catch (error) {
    showError('error', error.message)
  }
}

/**
 * What to send of a file: its text when it is plain UTF-8, else its bytes in base64 for the server to read
 * (gzip, as Segment's S3 archive is) or to name (UTF-16, binary) rather than have them turned into U+FFFD.
 */
async function fileBody(file) {
  const bytes = new Uint8Array(await file.arrayBuffer())
  const head = bytes.subarray(0, 65536)
  const marked = (a, b) => head[0] === a && head[1] === b
  if (!(marked(0x1f, 0x8b) || marked(0xff, 0xfe) || marked(0xfe, 0xff) || head.includes(0))) {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
    } catch {
      // Not UTF-8: the server names what it is.
    }
  }
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return { base64: btoa(binary) }
}

/** Adds the events of a paste ({ text }) or a file (fileBody); returns them. */
async function addBody(body, name) {
  const { added } = await api('POST', '/api/events', { ...body, name })
  state.events.push(...added)
  if (added.length && state.selected === null) state.selected = added[0].id
  return added
}

function progress(text) {
  $('add-progress').textContent = text
}

export async function addPaste() {
  showError('paste-error', '')
  progress('Adding the pasted events…')
  try {
    const added = await addBody({ text: $('paste').value })
    state.selected = added[0].id
    $('paste').value = ''
    progress(`Checking ${added.length} added event${added.length === 1 ? '' : 's'}…`)
    await recheck()
    progress(`Added ${added.length} event${added.length === 1 ? '' : 's'}.`)
    await loadPaths()
  } catch (error) {
    progress('')
    showError('paste-error', error.message)
  }
}

/** One file after the other, so a bad file does not stop the rest; then one check for all. */
export async function addFiles(files) {
  showError('paste-error', '')
  let count = 0
  const failures = []
  for (const [i, file] of files.entries()) {
    progress(`Adding file ${i + 1} of ${files.length}: ${file.name}…`)
    try {
      count += (await addBody(await fileBody(file), file.name)).length
    } catch (error) {
      failures.push(`${file.name}: ${error.message}`)
    }
  }
  progress(`Checking ${count} added event${count === 1 ? '' : 's'}…`)
  await recheck()
  progress(`Added ${count} event${count === 1 ? '' : 's'} from ${files.length} file${files.length === 1 ? '' : 's'}.`)
  if (failures.length) showError('paste-error', failures.join('\n'))
  await loadPaths()
}

/** The jq paths of the loaded events, for the autocomplete of the path boxes. */
export async function loadPaths() {
  try {
    state.paths = (await api('GET', '/api/paths')).paths
  } catch {
    state.paths = []
  }
}

/** Files dropped anywhere on the page are added; the page shows it is a drop target meanwhile. */
export function wireEvents() {
  $('add-paste').addEventListener('click', addPaste)
  $('file-input').addEventListener('change', (e) =>
    addFiles(Array.from(e.target.files)).then(() => (e.target.value = ''))
  )
  $('clear-events').addEventListener('click', clearEvents)
  $('filter-text').addEventListener('input', renderEvents)
  $('filter-status').addEventListener('change', renderEvents)
  $('event-list').addEventListener('keydown', listKey)
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
