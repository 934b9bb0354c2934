// @ts-check
import { api } from './api.js'
import { recheck, setCheckStatus } from './check.js'
import { $, $input, el, keepFocus, showError } from './dom.js'
import { downloadEndpoint, saveEndpoint, showUnsaved, wireLeaving } from './endpointFile.js'
import { loadPaths, renderEvents, wireEvents } from './events.js'
import { exportReport } from './exportReport.js'
import { renderSuiteBox, saveAllExpected, showPastedTarget } from './expected.js'
import { highlight } from './jsonView.js'
import {
  addMapping,
  edited,
  moveMapping,
  openMapping,
  renderEditor,
  renderMappingSelect,
  updateSpots
} from './mappingEditor.js'
import { renderDetail } from './sides.js'
import { on, state } from './state.js'
import { renderSendLabel, renderSendTarget, sendTest } from './testSend.js'

// The studio's page: plain DOM and native modules, no build step. Three columns: the events | the mapping that
// the selected event matches, in its editor, each field's value and problem beside its path | the selected
// event's two sides and the test send. The server decides every verdict; the page arranges what it says.
// This module wires the buttons, says what redraws when, and loads the studio's state.

function wireButtons() {
  wireEvents()
  $('add-mapping').addEventListener('click', addMapping)
  $('move-up').addEventListener('click', () => moveMapping(-1))
  $('move-down').addEventListener('click', () => moveMapping(1))
  $('mapping-select').addEventListener('change', () => openMapping(Number($input('mapping-select').value)))
  $('input-e-m-endpointKey').addEventListener('input', () => {
    state.endpoint.endpointKey = $input('input-e-m-endpointKey').value
    edited()
  })
  $('save-endpoint').addEventListener('click', () => saveEndpoint())
  $('download-endpoint').addEventListener('click', downloadEndpoint)
  $('send-button').addEventListener('click', sendTest)
  $('export-html').addEventListener('click', () => exportReport('html'))
  $('export-md').addEventListener('click', () => exportReport('md'))
  $('save-all-expected').addEventListener('click', () => saveAllExpected())
  $('suite-path').addEventListener('input', () => {
    state.suitePath = $input('suite-path').value.trim()
    showPastedTarget()
  })
  wireLeaving()
}

/** Problems with the mappings that have no input on screen (another mapping's, the file's), with a way there. */
function showProblems() {
  const away = state.problems.filter((p) => p.mapping === undefined || p.mapping !== state.open)
  const box = $('endpoint-problems')
  box.hidden = away.length === 0
  keepFocus(() =>
    box.replaceChildren(
      ...away.map((p, i) =>
        el(
          'p',
          {},
          `${p.shownWhere}: ${p.message}`,
          p.hint ? ` Hint: ${p.hint}` : '',
          p.mapping !== undefined
            ? el(
                'button',
                { type: 'button', id: `go-problem-${i}`, onclick: () => openMapping(p.mapping) },
                `Open mapping ${p.mapping + 1}`
              )
            : null
        )
      )
    )
  )
  const warnings = state.verdicts ? state.verdicts.endpointWarnings : []
  $('endpoint-warnings').replaceChildren(...warnings.map((w) => el('li', { text: w })))
}

function wireRedraws() {
  on('checked', () => {
    showProblems()
    renderSuiteBox()
    renderEvents()
    renderMappingSelect()
    updateSpots()
    renderDetail()
  })
  on('selecting', () => {
    renderEvents()
    renderEditor()
    renderSendTarget()
  })
  on('selected', () => {
    updateSpots()
    renderDetail()
  })
  on('moved', renderSendLabel)
  on('edited', showUnsaved)
  on('path-focus', highlight)
}

/** Whether a Movable Ink URL is configured, never which. */
function showConfigured(configured) {
  $input('target-configured').disabled = !configured.configured
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
    state.endpoint = /** @type {import('../apiTypes').EndpointSpec} */ (initial.endpoint)
    state.savedText = JSON.stringify(initial.endpoint)
    state.saveFile = initial.saveFile
    state.versions = { [initial.saveFile]: initial.version }
    state.schemas = initial.schemas
    state.vocabulary = initial.vocabulary
    state.selected = state.events.length ? state.events[0].id : null
    $input('save-path').value = initial.saveFile
    state.suitePath = initial.suite.pastedFile || ''
    state.suiteOff = initial.suite.off || ''
    $input('suite-path').value = state.suitePath
    $('suite-path').title = `A .jsonl file, relative to the working folder ${initial.suite.workDir}`
    $('suite-where').textContent = `(in ${initial.suite.workDir})`
    showConfigured(initial.configured)
    renderEditor()
    renderSendTarget()
    setCheckStatus('checking')
    await recheck()
    const row = state.verdicts && state.verdicts.rows.find((r) => r.id === state.selected)
    if (row && row.mappingIndex !== null) openMapping(row.mappingIndex)
    await loadPaths()
  } catch (error) {
    showError('error', error.message)
  }
}

start()
