/**
 * With batching off and a valid event, this destination must send exactly the request that Segment's
 * published Movable Ink destination sends: both are run through the real actions-core runtime
 * (Destination.onEvent with the preset subscription) and the requests that arrive are compared.
 * It stays outside the destination folder: in Segment's monorepo the folder replaces the published one,
 * so there it would compare the destination with itself.
 */
import { Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import reference from '@segment/action-destinations/dist/destinations/movable-ink'
import definition, { SEND_ENTIRE_EVENT_SUBSCRIPTION } from '../../../src/destinations/movable-ink'
import {
  captureRequests,
  fixedEvent,
  settings,
  setUpNock
} from '../../../src/destinations/movable-ink/__tests__/__helpers__/testSetup'
import type { CapturedRequest } from '../../../src/destinations/movable-ink/__tests__/__helpers__/testSetup'

setUpNock()

async function requestSentBy(def: unknown, event: SegmentEvent, mapping: JSONObject): Promise<CapturedRequest> {
  const captured = captureRequests()
  const destination = new Destination(def as typeof definition)
  await destination.onEvent(event, {
    ...settings,
    subscription: { subscribe: SEND_ENTIRE_EVENT_SUBSCRIPTION, partnerAction: 'sendEntireEvent', mapping }
  })
  expect(captured).toHaveLength(1)
  return captured[0]
}

const presetMapping = definition.presets![0].mapping as JSONObject
const referencePresetMapping = (reference.presets![0] as { mapping: JSONObject }).mapping

const events: [string, SegmentEvent][] = [
  [
    'identify with traits',
    fixedEvent({ type: 'identify', event: undefined, traits: { email: 'ada@example.com', plan: 'pro' } })
  ],
  [
    'anonymous track',
    fixedEvent({
      userId: null,
      anonymousId: 'anon-42',
      event: 'Product Viewed',
      properties: { sku: 'S-1', url: 'https://shop.example/p/1' }
    })
  ],
  [
    'Order Completed',
    fixedEvent({
      event: 'Order Completed',
      properties: {
        total: 30.5,
        products: [
          { product_id: 'p1', price: 10.5 },
          { sku: 's2', price: 20 }
        ]
      }
    })
  ],
  ['page', fixedEvent({ type: 'page', name: 'Home', properties: { path: '/' } })],
  ['screen', fixedEvent({ type: 'screen', name: 'Cart', properties: {} })],
  ['group', fixedEvent({ type: 'group', groupId: 'g-1', traits: { name: 'Acme' } })],
  ['unicode and nesting', fixedEvent({ properties: { title: 'Café – 東京 🎉', nested: { a: [1, { b: null }] } } })]
]

describe('parity with the published Movable Ink destination', () => {
  it.each(events)('%s: the same method, URL, Authorization, content type and body', async (_name, event) => {
    const ours = await requestSentBy(definition, event, presetMapping)
    const theirs = await requestSentBy(reference, event, referencePresetMapping)
    for (const request of [ours, theirs]) expect(request.method).toBe('POST')
    expect(ours.path).toBe(theirs.path)
    expect(ours.headers.authorization).toBe(theirs.headers.authorization)
    expect(ours.headers['content-type']).toBe(theirs.headers['content-type'])
    expect(ours.headers['user-agent']).toBe(theirs.headers['user-agent'])
    expect(ours.headers['content-length']).toBe(theirs.headers['content-length'])
    expect(ours.body).toBe(theirs.body)
  })

  it('with a Headers mapping: the same headers arrive', async () => {
    const mapping = { headers: { 'X-Source': 'segment', 'X-Event': { '@path': '$.event' } }, data: { '@path': '$.' } }
    const ours = await requestSentBy(definition, events[1][1], mapping)
    const theirs = await requestSentBy(reference, events[1][1], mapping)
    const compared = ['x-source', 'x-event', 'authorization', 'content-type', 'content-length', 'user-agent']
    for (const name of compared) expect([name, ours.headers[name]]).toEqual([name, theirs.headers[name]])
    expect(ours.body).toBe(theirs.body)
  })
})
