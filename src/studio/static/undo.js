// @ts-check
import { $, el } from './dom.js'

// Undo for what cannot be typed back: removing a mapping or a field. The bar says what was removed and holds
// one Undo button, which gets the focus (so Enter undoes at once, and Tab goes on from there).

export function offerUndo(message, restore) {
  const bar = $('undo-bar')
  const undo = () => {
    bar.replaceChildren()
    restore()
  }
  bar.replaceChildren(
    el('span', { text: message }),
    el('button', { type: 'button', id: 'undo-button', onclick: undo }, 'Undo'),
    el('button', { type: 'button', class: 'quiet', 'aria-label': 'Dismiss', onclick: () => bar.replaceChildren() }, '✕')
  )
  $('undo-button').focus()
}

export function clearUndo() {
  $('undo-bar').replaceChildren()
}
