// @ts-check
import { api } from './api.js'
import { conflictChoice, isConflict } from './conflict.js'
import { $, $input, fill } from './dom.js'
import { download } from './download.js'
import { isUnsaved, state } from './state.js'

// Saving the mappings being edited (the server refuses while they have mistakes) to the file named in the
// header, by default the studio's save file (never the bundled example), or downloading a copy; the
// unsaved-changes mark, and a warning before the page is left with unsaved changes.

export function showUnsaved() {
  $('unsaved').hidden = !isUnsaved()
}

export async function saveEndpoint(overwrite = false) {
  const status = $('save-status')
  status.textContent = 'Saving…'
  try {
    const path = $input('save-path').value.trim() || state.saveFile
    const snapshot = JSON.stringify(state.endpoint)
    // The version this page read: a file changed since (another tab, an editor) is not replaced without asking.
    const version = path in state.versions ? state.versions[path] : null
    const body = { endpoint: state.endpoint, path, version, ...(overwrite ? { overwrite: true } : {}) }
    const answer = await api('PUT', '/api/endpoint', body)
    state.versions[answer.saved] = answer.version
    state.savedText = snapshot
    status.textContent = `Saved to ${answer.saved}${answer.replaced ? ' (replaced the file there)' : ' (a new file)'}.`
    showUnsaved()
  } catch (error) {
    // The file changed since: reload what is there now, or replace it with these mappings.
    if (isConflict(error))
      return fill(
        status,
        error.message,
        conflictChoice('save', () => saveEndpoint(true))
      )
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
