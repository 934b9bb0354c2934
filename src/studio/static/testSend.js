import { api } from './api.js'
import { $, el } from './dom.js'
import { state } from './state.js'

// Section 4: the selected event through the destination, like Segment's "Test Mapping", after a confirmation
// (the configured URL is a real endpoint).

export async function sendTest() {
  const out = $('send-result')
  const event = state.events.find((e) => e.id === state.selected)
  if (!event) return (out.textContent = 'Pick an event first (section 1).')
  const target = document.querySelector('input[name=target]:checked').value
  if (!confirmed(event, target)) return (out.textContent = 'Not sent.')
  out.textContent = 'Sending…'
  try {
    const answer = await api('POST', '/api/send', {
      id: event.id,
      target,
      confirm: true,
      endpoint: state.endpoint,
      restamp: $('restamp').checked
    })
    out.replaceChildren(...answerView(answer))
  } catch (error) {
    out.textContent = `Not sent: ${error.message}`
  }
}

function confirmed(event, target) {
  const where = target === 'stand-in' ? 'the embedded stand-in' : 'the configured Movable Ink URL (a real endpoint)'
  return window.confirm(`Send ${event.event} to ${where}?`)
}

/** What came back: sent or failed, the HTTP status, Movable Ink's message and request id, and the body. */
function answerView(a) {
  return [
    el(
      'p',
      {},
      el('span', { class: `badge ${a.ok ? 'mapped' : 'refused'}`, text: a.ok ? 'sent' : 'failed' }),
      ` HTTP ${a.status || 'none'} from ${a.target === 'stand-in' ? 'the stand-in' : 'Movable Ink'}`
    ),
    el('p', { text: `Message: ${a.message}` }),
    el('p', { text: `Request id: ${a.requestId || '(none given)'}` }),
    a.body ? el('pre', { text: a.body }) : ''
  ]
}
