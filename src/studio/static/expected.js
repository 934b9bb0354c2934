import { api } from './api.js'
import { recheck } from './check.js'
import { $, el, focusId } from './dom.js'
import { emit, state } from './state.js'
import { SUITE_LETTER, suiteBadge } from './verdict.js'

// "Save as expected": what the selected event (or every event) makes now becomes its entry in the expected
// file beside its sample file, the suite format `movable-ink test` checks; pasted events are added to the
// suite file named in the box under the filters. The server writes and says what changed, in the words of
// `movable-ink test --update`; the page shows that and checks again, so every badge says what the files say.

/** The counts above the list, the suite file box (only when there are pasted events), the last result. */
export function renderSuiteBox() {
  const suite = state.verdicts && state.verdicts.suite
  $('suite-line').textContent = state.suiteOff || (suite ? `Expected results: ${suite.line}.` : '')
  $('save-all-expected').hidden = Boolean(state.suiteOff)
  $('pasted-row').hidden = Boolean(state.suiteOff) || !state.events.some((e) => !e.sample && !e.malformed)
}

/** Pasted events now in the suite file: the list names them by it from now on. */
function moved(events) {
  for (const event of events) {
    const at = state.events.findIndex((e) => e.id === event.id)
    if (at >= 0) state.events[at] = event
  }
  if (events.length) emit('moved')
}

async function save(body) {
  const answer = await api('POST', '/api/expected', { endpoint: state.endpoint, path: state.suitePath, ...body })
  moved(answer.moved)
  return answer
}

function refusal(error) {
  return `Not saved as expected: ${error.message.replace(/^Not saved as expected: /, '')}`
}

/** The selected event; its detail shows what was written (its button keeps the focus through the redraw). */
export async function saveSelectedExpected() {
  const id = state.selected
  if (id === null) return
  state.savedExpected = { id, text: 'Saving as expected…', failed: false }
  const line = $('expected-result')
  if (line) line.textContent = state.savedExpected.text
  try {
    state.savedExpected = { id, text: (await save({ id })).lines.join('\n'), failed: false }
  } catch (error) {
    state.savedExpected = { id, text: refusal(error), failed: true }
  }
  await recheck()
  focusId('save-expected')
}

/** One line for the whole save; what was written, file by file, folded under it. */
function savedAll(answer) {
  return [
    el('span', { id: 'suite-summary', text: answer.summary }),
    el(
      'details',
      { id: 'suite-details' },
      el('summary', { text: `Details (${answer.lines.length} line${answer.lines.length === 1 ? '' : 's'})` }),
      el('pre', { text: answer.lines.join('\n') })
    )
  ]
}

export async function saveAllExpected() {
  const out = $('suite-result')
  out.classList.remove('error')
  out.textContent = 'Saving every event as expected…'
  try {
    out.replaceChildren(...savedAll(await save({ all: true })))
  } catch (error) {
    out.textContent = refusal(error)
    out.classList.add('error')
  }
  await recheck()
}

function pastedTargetText() {
  const file = state.suitePath || 'the suite file named under the filters'
  return `Saving adds it to ${file}, with its expected file beside it.`
}

/** As the suite file's box is edited, the selected pasted event's detail says where it would go. */
export function showPastedTarget() {
  const hint = $('pasted-target')
  if (hint) hint.textContent = pastedTargetText()
}

/** The selected event against its expectation, with each difference and the button to save it. */
export function expectedSection(d) {
  const suite = d.suite
  if (!suite || suite.off) return null
  const letter = SUITE_LETTER[suite.state]
  const file = suite.expectedFile ? suite.expectedFile.split(/[\\/]/).pop() : ''
  const where = suite.expectation
    ? `${file}, entry ${suite.entry}`
    : suite.expectedFile
    ? `no entry ${suite.entry} in ${file} yet`
    : 'pasted: in no sample file yet'
  const saved = state.savedExpected && state.savedExpected.id === d.id ? state.savedExpected : null
  return el(
    'section',
    { class: `expected ${letter}`, id: 'expected', 'aria-labelledby': 'expected-title' },
    el('h4', { id: 'expected-title', text: 'Expected result' }),
    el(
      'p',
      { class: 'expected-head' },
      suiteBadge(letter, 'expected-status'),
      ' ',
      el('span', { class: 'where', title: suite.expectedFile || '', text: where })
    ),
    suite.differences.length
      ? el(
          'ul',
          { class: 'differences', 'aria-label': 'Differences from the expected result' },
          suite.differences.map((diff) => {
            const [line, ...note] = diff.text.split('\n')
            return el('li', {}, line, note.length ? el('span', { class: 'note', text: note.join(' ').trim() }) : null)
          })
        )
      : null,
    suite.expectation
      ? el(
          'details',
          { class: 'entry' },
          el('summary', { text: `The entry in ${file}` }),
          el('pre', { text: JSON.stringify(suite.expectation, null, 2) })
        )
      : null,
    suite.expectedFile ? null : el('p', { class: 'hint', id: 'pasted-target', text: pastedTargetText() }),
    el(
      'div',
      { class: 'row' },
      el('button', { type: 'button', id: 'save-expected', onclick: saveSelectedExpected }, 'Save as expected')
    ),
    el('p', {
      id: 'expected-result',
      class: `expected-result${saved && saved.failed ? ' error' : ''}`,
      role: 'status',
      'aria-live': 'polite',
      text: saved ? saved.text : ''
    })
  )
}
