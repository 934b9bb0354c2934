// @ts-check
import { ApiError } from './api.js'
import { el } from './dom.js'

// A save refused because its file changed since the page read it (edited elsewhere, saved from another tab):
// the page offers to reload what is there now, or to save again over it. The endpoint file's save and the
// expected files' saves say it the same way.

/**
 * Whether an API refusal is such a conflict (409 with `conflict`, not a check overtaken by an edit).
 * @param {unknown} error
 */
export function isConflict(error) {
  return error instanceof ApiError && Boolean(error.details.conflict)
}

/**
 * The two buttons, `prefix-reload` and `prefix-overwrite`, to put after the server's message.
 * @param {string} prefix
 * @param {() => void} overwrite
 */
export function conflictChoice(prefix, overwrite) {
  return [
    ' ',
    el('button', { type: 'button', id: `${prefix}-reload`, text: 'Reload', onclick: () => location.reload() }),
    ' ',
    el('button', { type: 'button', id: `${prefix}-overwrite`, text: 'Overwrite', onclick: overwrite })
  ]
}
