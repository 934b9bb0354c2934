import { DEFAULT_ENDPOINT_FILE, loadEndpointFile } from '../../src/endpointModel'
import type { InputItem } from '../../src/events/items'
import { createPreviewer } from '../../src/preview/previewer'
import type { PreviewItem } from '../../src/preview/previewTypes'
import { presetSubscriptions } from '../../src/runtime/subscriptions'
import type { SubscriptionSpec } from '../../src/runtime/subscriptions'

/**
 * The batch path (`batch`, what `test --coverage` runs) says of each event what the one-by-one path (`preview`)
 * says, request aside: one code, two ways through the runtime.
 */

const timestamp = '2026-11-20T10:00:00.000Z'
const now = Date.parse('2026-11-21T10:00:00.000Z')
const item = (event: Record<string, unknown>, line: number): InputItem => ({ kind: 'event', event, source: 's', line })
const viewed = { type: 'track', event: 'Product Viewed', userId: 'u', timestamp, properties: { product_id: 'p' } }
const inputs: InputItem[] = [
  item(viewed, 1),
  item({ ...viewed, timestamp: undefined }, 2),
  item({ ...viewed, userId: undefined }, 3),
  item({ type: 'group', groupId: 'g', userId: 'u', timestamp }, 4),
  item({ ...viewed, properties: { blob: 'x'.repeat(2_000_001) } }, 5),
  { kind: 'malformed', source: 's', line: 6, raw: '{', reason: 'not valid JSON' },
  item({ type: 'identify', userId: 'u', timestamp, traits: { email: 'a@example.com' } }, 7)
]

async function previewAll(subscriptions: SubscriptionSpec[], batch?: number): Promise<PreviewItem[]> {
  const endpoint = await loadEndpointFile(DEFAULT_ENDPOINT_FILE)
  const previewer = await createPreviewer({ settings: {}, subscriptions, endpoint, now, batch })
  try {
    return await previewer.previewEvents(inputs)
  } finally {
    await previewer.close()
  }
}

const withoutRequests = (items: PreviewItem[]) =>
  items.map((i) => ({ ...i, results: i.results.map(({ request: _request, ...rest }) => rest) }))

describe('preview, batched through onBatch', () => {
  it('gives every event the result it gets alone, without the request', async () => {
    const [alone, batched] = [await previewAll(presetSubscriptions()), await previewAll(presetSubscriptions(), 3)]
    expect(alone[0].results[0].request).toBeDefined()
    expect(batched[0].results[0].request).toBeUndefined()
    expect(withoutRequests(batched)).toEqual(withoutRequests(alone))
    expect(batched.map((i) => i.results[0]?.errorRules)).toEqual([
      [],
      ['timestamp'],
      ['identity'],
      [],
      ['size'],
      undefined,
      []
    ])
    expect(batched[3].results[0].movableInk?.problems[0].kind).toBe('unmapped')
  }, 60_000)

  it('keeps to the subscriptions each event matches, with the rules only the runtime knows', async () => {
    const [preset] = presetSubscriptions()
    const subscriptions: SubscriptionSpec[] = [
      { ...preset, name: 'tracks', subscribe: 'type = "track"' },
      { ...preset, name: 'headers', mapping: { data: { '@path': '$.' }, headers: { 'Content-Type': 'text/plain' } } },
      { ...preset, name: 'not an object', mapping: { data: { '@path': '$.event' } } }
    ]
    const [alone, batched] = [await previewAll(subscriptions), await previewAll(subscriptions, 2)]
    expect(withoutRequests(batched)).toEqual(withoutRequests(alone))
    expect(batched[6].results.map((r) => r.subscription)).toEqual(['headers', 'not an object'])
    expect(batched[0].results[1].errorRules).toEqual(['headers'])
    expect(batched[0].results[2].errorRules).toEqual(['runtime:PAYLOAD_VALIDATION_FAILED'])
  }, 60_000)
})
