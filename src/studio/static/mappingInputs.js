import { scheduleCheck } from './check.js'
import { el } from './dom.js'

// The mapping editor's inputs. Each writes straight into the endpoint being edited, then the check reruns.
// Ids name the mapping (its index, or 'e' for the endpoint), the field (its index, or 'm' for the mapping
// itself) and the property, so that a problem the server reports lands next to its input.

export function inputId(m, f, property) {
  return `input-${m}-${f === undefined ? 'm' : f}-${property}`
}

export function problemId(m, f, property) {
  return `problem-${m}-${f === undefined ? 'm' : f}-${property}`
}

/** Where a problem with this property is shown. */
export function problemSpot(m, f, property) {
  return el('span', { class: 'problem', id: problemId(m, f, property) })
}

/** A listener that stores what the input now holds under object[key], and re-checks. */
export function storeInto(object, key, read) {
  return (e) => {
    object[key] = read(e.target)
    scheduleCheck()
  }
}

/** A label and its text input, with the spot for the property's problem. */
export function textInput(label, object, key, m, f, wide) {
  const id = inputId(m, f, key)
  return [
    el('label', { for: id, text: label }),
    el(
      'div',
      {},
      el('input', {
        type: 'text',
        id,
        class: wide ? 'wide' : '',
        value: object[key] === undefined ? '' : String(object[key]),
        'aria-describedby': problemId(m, f, key),
        spellcheck: 'false',
        oninput: storeInto(object, key, (input) => input.value)
      }),
      problemSpot(m, f, key)
    )
  ]
}

/** A checkbox in its label; `fallback` is what an absent property means. */
export function checkbox(label, object, key, fallback, m, f) {
  const id = inputId(m, f, key)
  return el(
    'label',
    { for: id },
    el('input', {
      type: 'checkbox',
      id,
      checked: object[key] === undefined ? fallback : object[key] === true,
      onchange: storeInto(object, key, (input) => input.checked)
    }),
    ` ${label}`
  )
}
