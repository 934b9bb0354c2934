// @ts-check
import { el } from './dom.js'
import { edited } from './mappingEditor.js'
import { state } from './state.js'

// Events left unmapped on purpose: the endpoint file's notForMovableInk, each with its reason. One click on an
// unmapped event decides it (by name, or by its type's match criterion: the server proposes which); the reason
// box then has the focus, its default text selected, so typing the real reason replaces it.

function decisions() {
  if (!Array.isArray(state.endpoint.notForMovableInk)) state.endpoint.notForMovableInk = []
  return state.endpoint.notForMovableInk
}

/** After the re-check draws the note again, the reason box takes the focus. */
let focusReason = false

export function decideNotFor(decision) {
  decisions().push({ ...decision })
  focusReason = true
  edited()
}

function undecide(index) {
  decisions().splice(index, 1)
  if (decisions().length === 0) delete state.endpoint.notForMovableInk
  focusReason = false
  edited()
}

/** Moves the focus to the reason box once, after a decision was just made. */
export function focusDecidedReason() {
  if (!focusReason) return
  const box = /** @type {HTMLInputElement | null} */ (document.getElementById('decision-reason'))
  if (!box) return
  focusReason = false
  box.focus()
  box.select()
}

/** Above the editor, for an event the endpoint file says is not for Movable Ink: the decision, its reason. */
export function decidedNote(label, decided) {
  const decision = decisions()[decided.index]
  if (!decision) return null
  return el(
    'div',
    { class: 'decided-note' },
    el(
      'p',
      {},
      el('strong', { text: `${label || 'This event'} is not for Movable Ink` }),
      `, on purpose (${decided.by}).`
    ),
    el('label', { for: 'decision-reason', text: 'Reason ' }),
    el('input', {
      id: 'decision-reason',
      class: 'decision-reason',
      value: decision.reason,
      oninput: (e) => {
        decision.reason = e.target.value
        edited()
      }
    }),
    ' ',
    el('button', { type: 'button', id: 'undecide', onclick: () => undecide(decided.index) }, 'Map it after all')
  )
}

export function decideButton(decision) {
  return el(
    'button',
    {
      type: 'button',
      id: 'decide-not-for',
      title: 'Keep it unmapped on purpose: the endpoint file records the decision and its reason',
      onclick: () => decideNotFor(decision)
    },
    'Not for Movable Ink'
  )
}
