import { $, el } from './dom.js'
import { movableInkSide } from './movableInkSide.js'
import { segmentSide } from './segmentSide.js'
import { checkedItem, select, state } from './state.js'
import { statusBadge, verdict } from './verdict.js'

// Section 3: the summary table of all events, and the selected event's detail, Segment's side next to
// Movable Ink's for each subscription that sends it.

export function renderSummary() {
  const body = document.querySelector('#summary-table tbody')
  body.replaceChildren(...state.events.map(summaryRow))
}

function summaryRow(event) {
  const v = verdict(checkedItem(event.id))
  return el(
    'tr',
    {},
    el(
      'td',
      {},
      el('button', { type: 'button', class: 'pick', onclick: () => select(event.id) }, event.event || 'malformed')
    ),
    el('td', { text: `${event.source}:${event.line}` }),
    el('td', {}, statusBadge(v)),
    el('td', { text: v.mapping }),
    el('td', { text: v.why })
  )
}

export function renderDetail() {
  const detail = $('detail')
  const item = checkedItem(state.selected)
  if (!item)
    return detail.replaceChildren(el('p', { text: state.events.length ? 'Pick an event to see its checks.' : '' }))
  const head = el('h3', {
    id: 'detail-title',
    text: `${item.event || 'malformed'} (${item.source}:${item.line}): ${verdict(item).status}`
  })
  if (item.malformed) return detail.replaceChildren(head, el('p', { class: 'error', text: item.malformed }))
  const event = state.events.find((e) => e.id === item.id)
  detail.replaceChildren(
    head,
    subscriptionsLine(item),
    ...item.results.map((r) => el('div', { class: 'columns' }, segmentSide(r), movableInkSide(r.movableInk, event)))
  )
}

function subscriptionsLine(item) {
  const each = item.subscriptions.map((s) => `${s.name} (${s.subscribe}): ${s.matches ? 'matches' : 'does not match'}`)
  return el('p', { text: 'Subscriptions: ' + each.join('; ') })
}
