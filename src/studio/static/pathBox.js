// @ts-check
import { el } from './dom.js'
import { emit, state } from './state.js'

// A jq box: a text area that grows with what it holds (a 250-character conversion is readable), and offers
// the loaded events' paths as you type a path (ArrowDown/ArrowUp to choose, Enter or Tab to take it, Escape to
// close). Focusing it makes it the box that a click in the event's JSON fills.

const MAX_OPTIONS = 8

/** The path being typed: from the last space, pipe, bracket or comma before the cursor, when it starts with a dot. */
function tokenAt(text, cursor) {
  const before = text.slice(0, cursor)
  const start = Math.max(...[' ', '|', '(', ',', '\n', '{', ':'].map((c) => before.lastIndexOf(c))) + 1
  const token = before.slice(start)
  return token.startsWith('.') ? { start, token } : null
}

function grow(area) {
  area.style.height = 'auto'
  area.style.height = `${area.scrollHeight + 2}px`
}

function textArea({ id, value, label, describedBy, kind }, listId) {
  return el('textarea', {
    id,
    rows: 1,
    class: 'jq',
    spellcheck: 'false',
    autocomplete: 'off',
    'aria-label': label,
    'aria-describedby': describedBy,
    'aria-autocomplete': 'list',
    'aria-controls': listId,
    'aria-expanded': 'false',
    role: 'combobox',
    'data-kind': kind,
    value
  })
}

/** One box's completions: the paths offered for the token at the cursor, and the one chosen. */
class Completions {
  constructor(area, listId, onChange) {
    this.area = area
    this.listId = listId
    this.onChange = onChange
    this.options = []
    this.active = -1
    this.before = area.value
    this.list = el('ul', {
      class: 'completions',
      id: listId,
      role: 'listbox',
      hidden: true,
      'aria-label': 'Paths in the events'
    })
  }

  close() {
    this.options = []
    this.active = -1
    this.list.hidden = true
    this.area.setAttribute('aria-expanded', 'false')
    this.area.removeAttribute('aria-activedescendant')
  }

  take(path) {
    const area = this.area
    const at = tokenAt(area.value, area.selectionStart)
    if (!at) return this.close()
    const end = area.selectionStart
    area.value = area.value.slice(0, at.start) + path + area.value.slice(end)
    const cursor = at.start + path.length
    area.setSelectionRange(cursor, cursor)
    this.close()
    this.changed()
  }

  option([p, sample], i) {
    const attributes = {
      id: `${this.listId}-${i}`,
      role: 'option',
      'aria-selected': String(i === this.active),
      onmousedown: (e) => (e.preventDefault(), this.take(p))
    }
    return el('li', attributes, el('code', { text: p }), el('span', { class: 'sample', text: sample }))
  }

  show() {
    const at = tokenAt(this.area.value, this.area.selectionStart)
    const offered = at ? state.paths.filter(([p]) => p.startsWith(at.token) && p !== at.token) : []
    this.options = offered.slice(0, MAX_OPTIONS)
    if (!this.options.length) return this.close()
    this.active = Math.min(this.active, this.options.length - 1)
    this.list.replaceChildren(...this.options.map((o, i) => this.option(o, i)))
    this.list.hidden = false
    this.area.setAttribute('aria-expanded', 'true')
    if (this.active >= 0) this.area.setAttribute('aria-activedescendant', `${this.listId}-${this.active}`)
    else this.area.removeAttribute('aria-activedescendant')
  }

  changed() {
    this.before = this.area.value
    grow(this.area)
    this.onChange(this.area.value)
    emit('path-focus')
  }

  typed() {
    // Typed after the "." a new field starts with (the caret put after it by a click): one dot, not "..x",
    // which jq refuses. ".." alone (recursive descent) and "..|" are left as typed.
    const area = this.area
    if (this.before === '.' && /^\.\.[A-Za-z_"[]/.test(area.value)) {
      const cursor = area.selectionStart - 1
      area.value = area.value.slice(1)
      area.setSelectionRange(cursor, cursor)
    }
    this.changed()
    this.active = -1
    this.show()
  }

  key(e) {
    const options = this.options
    if (e.key === 'Enter' && !e.shiftKey && !options.length) return e.preventDefault() // one line of jq per Enter is rarely meant
    if (!options.length) return
    // Enter takes the path chosen with the arrows, else the first one offered (often the only one).
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault()
      return this.take(options[Math.max(this.active, 0)][0])
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length
      this.show()
    } else if (e.key === 'Tab' && this.active >= 0) {
      e.preventDefault()
      this.take(options[this.active][0])
    } else if (e.key === 'Escape') {
      e.preventDefault()
      this.close()
    }
  }
}

export function pathBox(options) {
  const { id, onChange } = options
  const listId = `${id}-options`
  const area = textArea(options, listId)
  const completions = new Completions(area, listId, onChange)
  area.addEventListener('input', () => completions.typed())
  area.addEventListener('keydown', (e) => completions.key(e))
  area.addEventListener('focus', () => {
    // A new field's path is "."; selected, typing ".properties.x" replaces it rather than making "..properties.x".
    if (area.value === '.') area.select()
    state.pathTarget = id
    emit('path-focus')
  })
  area.addEventListener('blur', () => completions.close())
  requestAnimationFrame(() => grow(area))
  return el('div', { class: 'path-box' }, area, completions.list)
}

/** Sets a jq box's text from outside (a click in the event's JSON, "Use this path"), as if typed. */
export function setBoxValue(id, text, { insert = false } = {}) {
  const area = /** @type {HTMLInputElement | null} */ (document.getElementById(id))
  if (!area) return false
  if (insert) {
    const start = area.selectionStart ?? area.value.length
    const end = area.selectionEnd ?? start
    area.value = area.value.slice(0, start) + text + area.value.slice(end)
    area.setSelectionRange(start + text.length, start + text.length)
  } else {
    area.value = text
  }
  area.dispatchEvent(new Event('input'))
  area.focus()
  return true
}
