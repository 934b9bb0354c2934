import { api } from './api.js'
import { $ } from './dom.js'
import { download } from './download.js'
import { state } from './state.js'

// The mappings being edited, written back to the endpoint file (the server refuses while they have mistakes)
// or downloaded as a copy.

export async function saveEndpoint() {
  $('save-status').textContent = ''
  try {
    const { saved } = await api('PUT', '/api/endpoint', { endpoint: state.endpoint })
    $('save-status').textContent = `Saved to ${saved}.`
  } catch (error) {
    $('save-status').textContent = `Not saved: ${error.message}`
  }
}

export function downloadEndpoint() {
  download('movable-ink-endpoint.json', JSON.stringify(state.endpoint, null, 2) + '\n', 'application/json')
}
