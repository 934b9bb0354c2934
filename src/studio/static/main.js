import { api } from './api.js'
import { afterEachCheck, recheck } from './check.js'
import { $, showError } from './dom.js'
import { downloadEndpoint, saveEndpoint } from './endpointFile.js'
import { addFiles, addPaste, renderEvents, wireDrop } from './events.js'
import { exportReport } from './exportReport.js'
import { addMapping, renderEditor } from './mappingEditor.js'
import { showProblems } from './mappingProblems.js'
import { renderDetail, renderSummary } from './results.js'
import { onSelect, state } from './state.js'
import { sendTest } from './testSend.js'

// The studio's page: plain DOM and native modules, no build step. Every check comes from the server's JSON
// API, which answers with what `movable-ink preview --json` prints, so the page only arranges it. This module
// wires the page's buttons, says what redraws when, and loads the studio's state.

function wireButtons() {
  $('add-paste').addEventListener('click', addPaste)
  $('file-input').addEventListener('change', (e) =>
    addFiles(Array.from(e.target.files)).then(() => (e.target.value = ''))
  )
  $('add-mapping').addEventListener('click', addMapping)
  $('save-endpoint').addEventListener('click', saveEndpoint)
  $('download-endpoint').addEventListener('click', downloadEndpoint)
  $('send-button').addEventListener('click', sendTest)
  $('export-html').addEventListener('click', () => exportReport('html'))
  $('export-md').addEventListener('click', () => exportReport('md'))
  wireDrop()
}

function wireRedraws() {
  afterEachCheck(() => {
    showProblems()
    renderEvents()
    renderSummary()
    renderDetail()
  })
  onSelect(() => {
    renderEvents()
    renderDetail()
  })
}

/** Whether a Movable Ink URL is configured, never which. */
function showConfigured(configured) {
  $('target-configured').disabled = !configured.configured
  $('configured-note').textContent = configured.configured
    ? '(from flags or the environment; not shown here)'
    : `(not available: ${configured.problem})`
}

async function start() {
  wireButtons()
  wireRedraws()
  try {
    const initial = await api('GET', '/api/state')
    state.events = initial.events
    state.endpoint = initial.endpoint
    state.endpointFile = initial.endpointFile
    state.selected = state.events.length ? state.events[0].id : null
    $('endpoint-file').textContent = initial.endpointFile
    showConfigured(initial.configured)
    renderEditor()
    await recheck()
  } catch (error) {
    showError('error', error.message)
  }
}

start()
