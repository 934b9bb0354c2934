import { api } from './api.js'
import { $, el, showError } from './dom.js'
import { state } from './state.js'

// Checking every event against the mappings as they are on the page. The server answers with what
// `movable-ink preview --json` prints, so the page only arranges it.

let timer = null
let redraw = () => {}

/** What to redraw after every check; main.js sets it, so this module needs none of the views. */
export function afterEachCheck(render) {
  redraw = render
}

/** Re-checks after a pause in typing, not on every key. */
export function scheduleCheck() {
  clearTimeout(timer)
  timer = setTimeout(recheck, 250)
}

export async function recheck() {
  // An answer overtaken by a newer edit's is dropped.
  const seq = ++state.seq
  try {
    const check = await api('POST', '/api/check', { endpoint: state.endpoint })
    if (seq !== state.seq) return
    state.check = check
    state.problems = []
    $('summary-line').textContent = check.summary.line
    $('endpoint-warnings').replaceChildren(...check.endpointWarnings.map((w) => el('li', { text: w })))
  } catch (error) {
    if (seq !== state.seq) return
    state.problems = (error.details && error.details.problems) || []
    if (!state.problems.length) showError('error', error.message)
    $('summary-line').textContent = 'The event mappings have problems: see section 2.'
  }
  redraw()
}
