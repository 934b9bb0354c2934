import { evaluateEvent, evaluateEvents, loadEndpointFile, DEFAULT_ENDPOINT_FILE } from '../../src/endpointModel'
import { eventAt } from './testEvents'

describe('evaluateEvents through one jq program', () => {
  it('keeps 500 events apart, as evaluateEvent one by one', async () => {
    const endpoint = await loadEndpointFile(DEFAULT_ENDPOINT_FILE)
    const events = Array.from({ length: 500 }, (_, i) => eventAt(i))
    const batch = await evaluateEvents(endpoint, events)
    expect(batch).toHaveLength(500)
    for (const i of [0, 1, 2, 3, 137, 250, 498, 499]) expect(batch[i]).toEqual(await evaluateEvent(endpoint, events[i]))
    expect(batch[0].fields.find((f) => f.name === 'UserID')?.value).toBe('u0')
    expect(batch[497].fields.find((f) => f.name === 'ID')?.value).toBe('p497')
    expect(batch[497].fields.find((f) => f.name === 'Price')?.value).toBe(497)
    expect(batch[498].problems.map((p) => p.kind)).toEqual(['missing-required', 'wrong-type'])
    expect(batch[499].problems.map((p) => p.kind)).toEqual(['unmapped'])
    batch.forEach((r, i) => expect(r.timestampMs).toBe(Date.UTC(2025, 0, 1) + i * 1001))
  })
})
