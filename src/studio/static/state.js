// What the page holds: the events, the mappings being edited, the last check and the selected event.

export const state = {
  events: [],
  endpoint: null,
  endpointFile: '',
  check: null,
  selected: null,
  problems: [],
  seq: 0,
  open: new Set()
}

/** The last check's item for an event, if the check has one. */
export function checkedItem(id) {
  return state.check ? state.check.items.find((i) => i.id === id) : undefined
}

// The events list and the detail both show the selection; main.js says what redraws when it changes, so
// neither module needs the other.
const selectionListeners = []

export function onSelect(listener) {
  selectionListeners.push(listener)
}

export function select(id) {
  state.selected = id
  for (const listener of selectionListeners) listener()
}
