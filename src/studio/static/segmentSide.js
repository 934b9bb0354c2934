import { el, titledList } from './dom.js'

// Segment's side of one subscription's result: the mapped data, the request the destination makes, its size.

export function segmentSide(result) {
  return el(
    'div',
    {},
    el('h4', { text: `Segment: subscription "${result.subscription}"` }),
    el('h5', { text: 'Mapped Data' }),
    el('pre', { text: JSON.stringify(result.mappedPayload, null, 2) }),
    result.request ? el('h5', { text: 'The request, exactly as the destination makes it' }) : null,
    result.request ? el('pre', { class: 'request', text: requestText(result.request) }) : null,
    result.size ? el('p', { text: sizeText(result.size) }) : null,
    titledList('Errors (would be refused)', result.errors),
    titledList('Warnings', result.warnings)
  )
}

function requestText(request) {
  const headers = request.headers.map(([n, v]) => `${n}: ${v}`).join('\n')
  return `${request.method} ${request.url}\n${headers}\n\n${request.body}`
}

function sizeText(size) {
  const within = size.withinLimit ? 'within' : 'over'
  return `Size: ${size.bytes} bytes, ${size.percentOfLimit}% of the ${size.limitBytes}-byte limit (${within} it)`
}
