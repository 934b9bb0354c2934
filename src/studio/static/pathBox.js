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

export function pathBox({ id, value, label, describedBy, onChange, kind }) {
  const listId = `${id}-options`
  let options = []
  let active = -1
  const list = el('ul', {
    class: 'completions',
    id: listId,
    role: 'listbox',
    hidden: true,
    'aria-label': 'Paths in the events'
  })
  const area = el('textarea', {
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

  const close = () => {
    options = []
    active = -1
    list.hidden = true
    area.setAttribute('aria-expanded', 'false')
    area.removeAttribute('aria-activedescendant')
  }
  const take = (path) => {
    const at = tokenAt(area.value, area.selectionStart)
    if (!at) return close()
    const end = area.selectionStart
    area.value = area.value.slice(0, at.start) + path + area.value.slice(end)
    const cursor = at.start + path.length
    area.setSelectionRange(cursor, cursor)
    close()
    changed()
  }
  const show = () => {
    const at = tokenAt(area.value, area.selectionStart)
    options = at ? state.paths.filter(([p]) => p.startsWith(at.token) && p !== at.token).slice(0, MAX_OPTIONS) : []
    if (!options.length) return close()
    active = Math.min(active, options.length - 1)
    list.replaceChildren(
      ...options.map(([p, sample], i) =>
        el(
          'li',
          {
            id: `${listId}-${i}`,
            role: 'option',
            'aria-selected': String(i === active),
            onmousedown: (e) => (e.preventDefault(), take(p))
          },
          el('code', { text: p }),
          el('span', { class: 'sample', text: sample })
        )
      )
    )
    list.hidden = false
    area.setAttribute('aria-expanded', 'true')
    if (active >= 0) area.setAttribute('aria-activedescendant', `${listId}-${active}`)
    else area.removeAttribute('aria-activedescendant')
  }
  const changed = () => {
    grow(area)
    onChange(area.value)
    emit('path-focus')
  }

  area.addEventListener('input', () => {
    changed()
    active = -1
    show()
  })
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !options.length) return e.preventDefault() // one line of jq per Enter is rarely meant
    if (!options.length) return
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      active = (active + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length
      show()
    } else if ((e.key === 'Enter' || e.key === 'Tab') && active >= 0) {
      e.preventDefault()
      take(options[active][0])
    } else if (e.key === 'Escape') {
      e.preventDefault()
      close()
    }
  })
  area.addEventListener('focus', () => {
    state.pathTarget = id
    emit('path-focus')
  })
  area.addEventListener('blur', close)
  requestAnimationFrame(() => grow(area))
  return el('div', { class: 'path-box' }, area, list)
}

/** Sets a jq box's text from outside (a click in the event's JSON, "Use this path"), as if typed. */
export function setBoxValue(id, text, { insert = false } = {}) {
  const area = document.getElementById(id)
  if (!area) return false
  if (insert) {
    const start = area.selectionStart
    const end = area.selectionEnd
    area.value = area.value.slice(0, start) + text + area.value.slice(end)
    area.setSelectionRange(start + text.length, start + text.length)
  } else {
    area.value = text
  }
  area.dispatchEvent(new Event('input'))
  area.focus()
  return true
}
