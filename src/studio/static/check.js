// @ts-check
import { api } from './api.js'
import { $, showError } from './dom.js'
import { emit, state } from './state.js'

// Checking every event against the mappings as they are on the page. After an edit the server answers, in one
// call, with each event's verdict (small) and the selected event's whole check; selecting another event asks
// for its detail alone. While a check runs
// the page says "checking", and while the mappings have a mistake it says the results are out of date.

let timer = null

/** Re-checks after a short pause in typing, not on every key; the results are marked as checking at once. */
export function scheduleCheck() {
  clearTimeout(timer)
  setCheckStatus('checking')
  timer = setTimeout(recheck, 120)
}

export function setCheckStatus(status) {
  state.checkStatus = status
  const line = $('check-status')
  const problems = state.problems.length
  line.textContent =
    status === 'checking'
      ? 'Checking…'
      : status === 'stale'
      ? `Out of date: the mappings have ${problems} mistake${problems === 1 ? '' : 's'}`
      : state.verdicts
      ? 'Results up to date'
      : ''
  line.className = `check-status ${status || 'current'}`
  line.title = status === 'stale' ? `${line.textContent}; the results shown are from before the mistake.` : ''
  document.body.classList.toggle('results-stale', status === 'stale' || status === 'checking')
}

export async function recheck() {
  clearTimeout(timer)
  // An answer overtaken by a newer edit's is dropped.
  const seq = ++state.seq
  setCheckStatus('checking')
  try {
    // One call: every verdict, and the selected event's detail under the same mappings.
    const id = state.selected === null ? undefined : state.selected
    const verdicts = await api('POST', '/api/verdicts', { endpoint: state.endpoint, id })
    if (seq !== state.seq) return
    state.verdicts = verdicts
    // The expected files the states come from, at the versions a save sends back.
    Object.assign(state.versions, verdicts.suite.versions)
    state.rowIndex = new Map(verdicts.rows.map((r, i) => [r.id, i]))
    state.problems = []
    $('summary-line').textContent = verdicts.summary.line
    $('summary-line').title = verdicts.summary.line
    if (state.selected !== null && !verdicts.rows.some((r) => r.id === state.selected)) state.selected = null
    if (state.selected === null && verdicts.rows.length) state.selected = verdicts.rows[0].id
    // Selecting another event meanwhile asked for its own detail: this answer's is then not the one shown.
    if (verdicts.detail && verdicts.detail.id === id) {
      if (id === state.selected) state.detail = verdicts.detail
    } else await loadDetail(seq) // the selected event was gone (or none was): the first one's, this once
    if (seq !== state.seq) return
    setCheckStatus('')
  } catch (error) {
    if (seq !== state.seq) return
    state.problems = (error.details && error.details.problems) || []
    if (!state.problems.length) showError('error', error.message)
    setCheckStatus(state.problems.length ? 'stale' : '')
  }
  emit('checked')
}

/** The selected event's whole check with the mappings as they are. */
export async function loadDetail(seq = state.seq) {
  if (state.selected === null) {
    state.detail = null
    return
  }
  const id = state.selected
  try {
    const detail = await api('POST', '/api/detail', { endpoint: state.endpoint, id })
    if (seq === state.seq && id === state.selected) state.detail = detail
  } catch (error) {
    if (seq !== state.seq) return
    // While the mappings have a mistake the last detail stays, marked out of date.
    if (!(error.details && error.details.problems)) showError('error', error.message)
  }
}
