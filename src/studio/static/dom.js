// Building the page's elements: plain DOM, no library.

export const $ = (id) => document.getElementById(id)

/** An element with attributes (on* ones are listeners, text its text) and children (flattened, nulls dropped). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value)
    else if (key === 'text') node.textContent = value
    else node.setAttribute(key, value === true ? '' : value)
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child)
  return node
}

/** Shows a message in one of the page's error lines, or hides the line when there is none. */
export function showError(where, message) {
  const node = $(where)
  node.textContent = message || ''
  node.hidden = !message
}

/** A table's head: one row of column headers. */
export function headRow(headers) {
  return el(
    'thead',
    {},
    el(
      'tr',
      {},
      headers.map((h) => el('th', { scope: 'col', text: h }))
    )
  )
}

/** A titled list of lines, or nothing when there are none. */
export function titledList(title, lines) {
  if (!lines.length) return null
  return el(
    'div',
    {},
    el('h5', { text: title }),
    el(
      'ul',
      {},
      lines.map((line) => el('li', { text: line }))
    )
  )
}
