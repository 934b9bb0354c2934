// @ts-check
import { api } from './api.js'
import { $, $input, el, fill } from './dom.js'
import { eventOf, state } from './state.js'

// The selected event through the destination, like Segment's "Test Mapping". It names the event it will send,
// says what became of it in plain words (delivered, refused by Movable Ink, refused by the destination so
// nothing was sent, ...), clears when another event is selected, and asks first only for a real endpoint.

export function renderSendTarget() {
  renderSendLabel()
  $('send-result').replaceChildren()
}

/** Which event a send would send, where it is (a pasted event saved as expected is in its suite file now). */
export function renderSendLabel() {
  const event = eventOf(state.selected)
  $('send-what').textContent = event ? `Sends ${event.label} (${event.where}).` : 'Pick an event to send.'
  $('send-button').textContent = event ? `Send ${event.label}` : 'Send'
  $input('send-button').disabled = !event || Boolean(event.malformed)
}

export async function sendTest() {
  const out = $('send-result')
  const event = eventOf(state.selected)
  if (!event) return
  const checked = /** @type {HTMLInputElement | null} */ (document.querySelector('input[name=target]:checked'))
  const target = checked && checked.value === 'configured' ? 'configured' : 'stand-in'
  if (
    target === 'configured' &&
    !window.confirm(`Send ${event.label} to the configured Movable Ink URL? It is a real endpoint.`)
  )
    return out.replaceChildren(el('p', { text: 'Not sent.' }))
  out.replaceChildren(el('p', { text: `Sending ${event.label}…` }))
  try {
    const answer = await api('POST', '/api/send', {
      id: event.id,
      target,
      confirm: true,
      endpoint: state.endpoint,
      restamp: $input('restamp').checked
    })
    if (state.selected === event.id) fill(out, answerView(answer, event))
  } catch (error) {
    out.replaceChildren(el('p', { class: 'error', text: `Not sent: ${error.message}` }))
  }
}

const WHERE = { 'stand-in': 'the stand-in', configured: 'Movable Ink' }

function headline(a) {
  const where = WHERE[a.target]
  if (a.outcome === 'delivered') return ['ok', 'delivered', `HTTP ${a.status} from ${where}`]
  if (a.outcome === 'refused by Movable Ink') return ['bad', 'refused', `HTTP ${a.status} from ${where}`]
  if (a.outcome === 'refused by the destination')
    return ['bad', 'not sent', 'refused by the destination, nothing was sent']
  if (a.outcome === 'not subscribed') return ['muted', 'not sent', 'no subscription takes this event, nothing was sent']
  return ['bad', 'not delivered', `no answer from ${where}`]
}

/** What came back: the outcome in words, Movable Ink's message and request id, and the body. */
function answerView(a, event) {
  const [css, word, said] = headline(a)
  return [
    el('p', {}, el('span', { class: `badge ${css}`, text: word }), ` ${event.label}: ${said}`),
    el('p', { text: `Message: ${a.message}` }),
    a.sent ? el('p', { text: `Request id: ${a.requestId || '(none given)'}` }) : null,
    a.body ? el('pre', { text: a.body }) : null
  ]
}
