// @ts-check
// Building the page's elements: plain DOM, no library.

/**
 * The page's element with this id. Every id a module names is in index.html or made by a module; a missing one
 * is a bug, said at once rather than as a null later.
 * @param {string} id
 * @returns {HTMLElement}
 */
export function $(id) {
  const found = document.getElementById(id)
  if (!found) throw new Error(`The page has no element #${id}.`)
  return found
}

/**
 * A form control of the page (an input, select or textarea: what is used of them is common to all three).
 * @param {string} id
 * @returns {HTMLInputElement}
 */
export const $input = (id) => /** @type {HTMLInputElement} */ ($(id))

/** An element with attributes (on* ones are listeners, text its text) and children (flattened, nulls dropped). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value)
    else if (key === 'text') node.textContent = value
    else if (key === 'value') node.value = value
    else node.setAttribute(key, value === true ? '' : value)
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child)
  return node
}

/** Replaces a node's children, dropping the nulls that optional parts give. */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false))
}

/** Shows a message in one of the page's error lines, or hides the line when there is none. */
export function showError(where, message) {
  const node = $(where)
  node.textContent = message || ''
  node.hidden = !message
}

/**
 * Redraws with `render` and keeps the keyboard focus where it was: on the element with the same id, with the
 * same text selection, when the redraw replaced it. Every control that can be redrawn has a stable id.
 */
export function keepFocus(render) {
  const active = /** @type {HTMLInputElement | null} */ (document.activeElement)
  const id = active && active !== document.body ? active.id : ''
  const selection =
    active && typeof active.selectionStart === 'number' ? [active.selectionStart, active.selectionEnd] : null
  render()
  if (!id || document.activeElement === active) return
  const again = /** @type {HTMLInputElement | null} */ (document.getElementById(id))
  if (!again) return
  again.focus({ preventScroll: true })
  if (selection && typeof again.setSelectionRange === 'function') {
    try {
      again.setSelectionRange(selection[0], selection[1])
    } catch {
      // Not a text control.
    }
  }
}

/** Moves the focus to the element with this id once it is on the page. */
export function focusId(id) {
  const node = document.getElementById(id)
  if (node) node.focus()
  return Boolean(node)
}

/** A titled list of lines, or nothing when there are none. */
export function titledList(title, lines, cls) {
  if (!lines.length) return null
  return el(
    'div',
    { class: cls || '' },
    el('h4', { text: title }),
    el(
      'ul',
      {},
      lines.map((line) => el('li', {}, line))
    )
  )
}

/** A value as short JSON for a table cell or a line. */
export function shortJson(value, max = 160) {
  if (value === undefined) return '(no value)'
  const text = JSON.stringify(value)
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
