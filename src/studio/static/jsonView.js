// @ts-check
import { el } from './dom.js'
import { setBoxValue } from './pathBox.js'
import { state } from './state.js'

// What Movable Ink receives for the selected event, as JSON whose keys and values are buttons: a click (or
// Enter) puts that part's jq path into the jq box last focused (a field's path, or, for a match criterion,
// `path == value` at the cursor). The part that the focused box's path selects is highlighted. The view is one
// stop for Tab; the arrow keys move inside it.

const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/

/** A key appended to a jq path (as the server's eventPaths.ts writes them). */
function withKey(path, key) {
  if (PLAIN.test(key)) return `${path}.${key}`
  return `${path === '' ? '.' : path}[${JSON.stringify(key)}]`
}

export function jsonView(value) {
  const view = el('div', {
    class: 'json',
    id: 'event-json',
    role: 'group',
    'aria-label': 'What Movable Ink receives: pick a key or value to use its path'
  })
  view.append(node(value, '', null, true))
  view.addEventListener('keydown', moveInside)
  const first = view.querySelector('button')
  if (first) first.tabIndex = 0
  return view
}

function node(value, path, key, last) {
  const keyButton =
    key === null
      ? null
      : el(
          'button',
          { type: 'button', class: 'jk', tabindex: '-1', 'data-path': path, onclick: () => usePath(path) },
          JSON.stringify(key)
        )
  const comma = last ? '' : ','
  const head = (open) => el('div', { class: 'jl', 'data-path': path }, keyButton, keyButton ? ': ' : '', open)
  if (Array.isArray(value) || (value && typeof value === 'object')) {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value)
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}']
    if (!entries.length)
      return el('div', { class: 'jl', 'data-path': path }, keyButton, keyButton ? ': ' : '', `${open}${close}${comma}`)
    const children = entries.map(([k, v], i) =>
      node(
        v,
        Array.isArray(value) ? `${path}[${k}]` : withKey(path, k),
        Array.isArray(value) ? null : k,
        i === entries.length - 1
      )
    )
    return el(
      'div',
      { class: 'jn', 'data-path': path },
      head(open),
      el('div', { class: 'ji' }, children),
      el('div', { class: 'jl' }, `${close}${comma}`)
    )
  }
  const text = JSON.stringify(value)
  const button = el(
    'button',
    {
      type: 'button',
      class: `jv ${value === null ? 'null' : typeof value}`,
      tabindex: '-1',
      'data-path': path,
      onclick: () => usePath(path, value)
    },
    text
  )
  return el('div', { class: 'jn jl', 'data-path': path }, keyButton, keyButton ? ': ' : '', button, comma)
}

function usePath(path, value) {
  const target = state.pathTarget && document.getElementById(state.pathTarget)
  const shown = path || '.'
  if (!target) {
    const note = document.getElementById('json-note')
    if (note)
      note.textContent = `${shown}: focus a jq box first (a field's path or the match criterion), then pick again.`
    return
  }
  if (target.dataset.kind === 'match')
    setBoxValue(target.id, value === undefined ? shown : `${shown} == ${JSON.stringify(value)}`, { insert: true })
  else setBoxValue(target.id, shown)
}

function moveInside(e) {
  if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return
  const buttons = [...e.currentTarget.querySelectorAll('button')]
  const at = buttons.indexOf(document.activeElement)
  const to = e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : at + (e.key === 'ArrowDown' ? 1 : -1)
  if (to < 0 || to >= buttons.length) return
  e.preventDefault()
  buttons.forEach((b) => (b.tabIndex = -1))
  buttons[to].tabIndex = 0
  buttons[to].focus()
}

/** The leading plain path of a jq expression (`.a.b[0]["c d"][]`), as steps; null when it has none. */
export function stepsOf(expression) {
  let rest = String(expression || '').trim()
  if (!rest.startsWith('.')) return null
  const steps = []
  while (rest.length) {
    let m
    if ((m = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(rest))) steps.push(m[1])
    else if ((m = /^\.?\["((?:[^"\\]|\\.)*)"\]/.exec(rest))) steps.push(JSON.parse(`"${m[1]}"`))
    else if ((m = /^\.?\[(\d+)\]/.exec(rest))) steps.push(Number(m[1]))
    else if ((m = /^\.?\[\]/.exec(rest))) steps.push('[]')
    else break
    rest = rest.slice(m[0].length)
  }
  return steps
}

function pathSteps(path) {
  return stepsOf(path || '.') || []
}

/** Marks the parts of the event that the focused jq box's leading path selects. */
export function highlight() {
  const view = document.getElementById('event-json')
  if (!view) return
  view.querySelectorAll('.hl').forEach((n) => n.classList.remove('hl'))
  const box = /** @type {HTMLInputElement | null} */ (state.pathTarget && document.getElementById(state.pathTarget))
  const steps = box && box.dataset.kind === 'path' ? stepsOf(box.value) : null
  if (!steps || !steps.length) return
  for (const n of view.querySelectorAll('.jn')) {
    if (!(n instanceof HTMLElement)) continue
    const own = pathSteps(n.dataset.path)
    if (own.length !== steps.length) continue
    if (steps.every((s, i) => (s === '[]' ? typeof own[i] === 'number' : s === own[i]))) n.classList.add('hl')
  }
}
