// @ts-check
import { api } from './api.js'
import { showError } from './dom.js'
import { download } from './download.js'
import { state } from './state.js'

// Section 5: the server writes the report of the whole check (HTML or Markdown); the page downloads it.

export async function exportReport(format) {
  try {
    const text = await api('POST', '/api/export', { endpoint: state.endpoint, format })
    download(`movable-ink-check.${format}`, text, format === 'html' ? 'text/html' : 'text/markdown')
  } catch (error) {
    showError('error', error.message)
  }
}
