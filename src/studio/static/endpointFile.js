import { api } from './api.js'
import { $ } from './dom.js'
import { download } from './download.js'
import { isUnsaved, state } from './state.js'

// Saving the mappings being edited (the server refuses while they have mistakes) to the file named in the
// header, by default the studio's save file (never the bundled example), or downloading a copy; the
// unsaved-changes mark, and a warning before the page is left with unsaved changes.

export function showUnsaved() {
  $('unsaved').hidden = !isUnsaved()
}

export async function saveEndpoint() {
  const status = $('save-status')
  status.textContent = 'Saving…'
  try {
    const path = $('save-path').value.trim()
    const snapshot = JSON.stringify(state.endpoint)
    const { saved, replaced } = await api('PUT', '/api/endpoint', { endpoint: state.endpoint, path: path || undefined })
    state.savedText = snapshot
    status.textContent = `Saved to ${saved}${replaced ? ' (replaced the file there)' : ' (a new file)'}.`
    showUnsaved()
  } catch (error) {
    status.textContent = `Not saved: ${error.message}`
  }
}

export function downloadEndpoint() {
  download('movable-ink-endpoint.json', JSON.stringify(state.endpoint, null, 2) + '\n', 'application/json')
}

export function wireLeaving() {
  window.addEventListener('beforeunload', (e) => {
    if (!isUnsaved()) return
    e.preventDefault()
    e.returnValue = ''
  })
}
