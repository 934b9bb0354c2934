import nock from 'nock'
import { createTestIntegration } from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import definition from '../../index'
import { MAX_BATCH_REQUEST_BYTES, MAX_REQUEST_BYTES } from '../../limits'
import { chunkBody, planChunks } from '../../sendToMovableInk'
import { prepareEvent } from '../../prepareEvent'
import {
  captureRequests,
  ENDPOINT_ORIGIN,
  ENDPOINT_PATH,
  fixedEvent,
  settings,
  setUpNock
} from '../../__tests__/__helpers__/testSetup'
import type { CapturedRequest } from '../../__tests__/__helpers__/testSetup'

setUpNock()
const testDestination = createTestIntegration(definition)

type Status = { status: number; errortype?: string; errormessage?: string; sent?: unknown; body?: unknown }

async function runBatch(
  events: SegmentEvent[],
  mapping: Record<string, unknown> = {},
  batchSettings = settings
): Promise<Status[]> {
  await testDestination.testBatchAction('sendEntireEvent', {
    events,
    settings: batchSettings,
    mapping: { data: { '@path': '$.' }, enable_batching: true, batch_size: 100, ...mapping }
  })
  const [result] = testDestination.results as unknown as [{ multistatus: Status[] }]
  return result.multistatus
}

const users = (n: number, extra: Partial<SegmentEvent> = {}) =>
  Array.from({ length: n }, (_, i) => fixedEvent({ userId: `u-${i}`, messageId: `m-${i}`, ...extra }))

/** The events of a request: the `{"events": [...]}` of a batch, or the one event a lone request carries. */
const eventsIn = (body: unknown): { userId: string }[] => {
  const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as { events?: { userId: string }[] }
  return Array.isArray(parsed.events) ? parsed.events : [parsed as { userId: string }]
}
const userIdsIn = (request: CapturedRequest) => eventsIn(request.body).map((e) => e.userId)

describe('Send Entire Event with batching on', () => {
  it('POSTs {"events": [...]} of the Data objects and reports each event as delivered', async () => {
    const captured = captureRequests(200, { accepted: 3 })
    const events = users(3)
    const statuses = await runBatch(events)
    expect(captured).toHaveLength(1)
    expect(captured[0].headers['content-type']).toBe('application/json')
    expect(captured[0].body).toBe(JSON.stringify({ events }))
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 200])
    expect(statuses[1].sent).toEqual(events[1])
  })

  it('splits by Batch Size, keeping event order', async () => {
    const captured = captureRequests(200, {}, 3)
    const statuses = await runBatch(users(7), { batch_size: 3 })
    expect(captured.map(userIdsIn).sort((a, b) => a[0].localeCompare(b[0]))).toEqual([
      ['u-0', 'u-1', 'u-2'],
      ['u-3', 'u-4', 'u-5'],
      ['u-6']
    ])
    expect(statuses.every((s) => s.status === 200)).toBe(true)
  })

  it('splits events of about 3 kB so that every request stays under 1 MB, envelope counted', async () => {
    const captured = captureRequests(200, {}, 10)
    const events = users(1000, { properties: { note: 'x'.repeat(3000) } })
    const statuses = await runBatch(events, { batch_size: 1000 })
    expect(captured.length).toBe(4)
    for (const request of captured) expect(Buffer.byteLength(request.body)).toBeLessThan(MAX_BATCH_REQUEST_BYTES)
    expect(captured.map((r) => eventsIn(r.body).length).reduce((a, b) => a + b)).toBe(1000)
    expect(new Set(captured.flatMap(userIdsIn)).size).toBe(1000)
    expect(statuses.every((s) => s.status === 200)).toBe(true)
  })

  it('splits 2,500 events into 1000/1000/500 at Batch Size 1000', async () => {
    const captured = captureRequests(200, {}, 3)
    const statuses = await runBatch(users(2500), { batch_size: 1000 })
    expect(captured.map((r) => eventsIn(r.body).length).sort()).toEqual([1000, 1000, 500])
    expect(statuses.filter((s) => s.status === 200)).toHaveLength(2500)
  })

  it('sends an event too large to share a batch alone, as a bare object under the 2 MB rule', async () => {
    const captured = captureRequests(200, {}, 2)
    const events = users(3)
    events[1] = { ...events[1], properties: { blob: 'x'.repeat(1_200_000) } }
    const statuses = await runBatch(events)
    const lone = captured.find((r) => !('events' in JSON.parse(r.body)))
    expect(lone && JSON.parse(lone.body)).toEqual(events[1])
    expect(captured.filter((r) => r !== lone).map(userIdsIn)).toEqual([['u-0', 'u-2']])
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 200])
  })

  it('reports events that fail the checks at their own index, unsent, and delivers the rest', async () => {
    const captured = captureRequests()
    const events = users(4)
    events[1] = { ...events[1], timestamp: undefined } as unknown as SegmentEvent
    events[3] = { ...events[3], userId: null, anonymousId: null }
    const statuses = await runBatch(events)
    expect(captured.map(userIdsIn)).toEqual([['u-0', 'u-2']])
    expect(statuses.map((s) => s.status)).toEqual([200, 400, 200, 400])
    expect(statuses[1]).toMatchObject({
      errortype: 'PAYLOAD_VALIDATION_FAILED',
      errormessage: expect.stringMatching(/timestamp/)
    })
    expect(statuses[3]).toMatchObject({
      errortype: 'PAYLOAD_VALIDATION_FAILED',
      errormessage: expect.stringMatching(/userId/)
    })
    expect(statuses[1].sent).toBeUndefined()
  })

  it('refuses an event that alone would reach 2 MB and sends the others', async () => {
    const captured = captureRequests()
    const events = users(2)
    events[0] = { ...events[0], properties: { blob: 'x'.repeat(MAX_REQUEST_BYTES) } }
    const statuses = await runBatch(events)
    expect(captured.map(userIdsIn)).toEqual([['u-1']])
    expect(statuses[0]).toMatchObject({ status: 400, errormessage: expect.stringMatching(/2 MB/) })
    expect(statuses[1].status).toBe(200)
  })

  it('a failed request marks exactly the events it carried', async () => {
    nock(ENDPOINT_ORIGIN)
      .post(ENDPOINT_PATH)
      .times(2)
      .reply((_uri, body) => {
        const ids = eventsIn(body).map((e) => e.userId)
        return ids.includes('u-2') ? [503, 'maintenance'] : [200, '{}']
      })
    const statuses = await runBatch(users(4), { batch_size: 2 })
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 503, 503])
    expect(statuses[2]).toMatchObject({
      errortype: 'SERVICE_UNAVAILABLE',
      errormessage: expect.stringMatching(/temporary problem \(HTTP 503\); a later attempt can succeed/)
    })
    expect(statuses[2].sent).toMatchObject({ userId: 'u-2' })
  })

  it.each([
    [401, 'INVALID_AUTHENTICATION', /Access Key ID/],
    [404, 'NOT_FOUND', /Movable Ink URL/],
    [429, 'TOO_MANY_REQUESTS', /too many requests/],
    [400, 'BAD_REQUEST', /may not have mapped this event/]
  ])('a %i answer marks every event of the request with %s', async (status, errortype, message) => {
    nock(ENDPOINT_ORIGIN).post(ENDPOINT_PATH).reply(status, 'no')
    const statuses = await runBatch(users(2))
    for (const s of statuses)
      expect(s).toMatchObject({ status, errortype, errormessage: expect.stringMatching(message) })
  })

  it('a connection error marks the request events as retryable (503)', async () => {
    nock(ENDPOINT_ORIGIN).post(ENDPOINT_PATH).replyWithError({ code: 'ECONNREFUSED', message: 'refused' })
    const statuses = await runBatch(users(2))
    expect(statuses.map((s) => s.status)).toEqual([503, 503])
  })

  it('sends events with different Headers in separate requests', async () => {
    const captured = captureRequests(200, {}, 2)
    const events = users(3).map((e, i) => ({ ...e, properties: { tenant: i === 1 ? 'b' : 'a' } }))
    const statuses = await runBatch(events, { headers: { 'X-Tenant': { '@path': '$.properties.tenant' } } })
    const byTenant = Object.fromEntries(captured.map((r) => [r.headers['x-tenant'], userIdsIn(r)]))
    expect(byTenant).toEqual({ a: ['u-0', 'u-2'], b: ['u-1'] })
    expect(statuses.every((s) => s.status === 200)).toBe(true)
  })

  it('refuses a framing header (Transfer-Encoding) for the events whose Headers hold it, and sends the others', async () => {
    const captured = captureRequests()
    const events = users(3).map(
      (e, i): SegmentEvent => ({ ...e, properties: i === 1 ? { encoding: 'chunked' } : { plan: 'pro' } })
    )
    const statuses = await runBatch(events, { headers: { 'Transfer-Encoding': { '@path': '$.properties.encoding' } } })
    expect(captured.map(userIdsIn)).toEqual([['u-0', 'u-2']])
    expect(captured[0].headers['content-length']).toBe(String(Buffer.byteLength(captured[0].body)))
    expect(captured[0].headers['transfer-encoding']).toBeUndefined()
    expect(statuses.map((s) => s.status)).toEqual([200, 400, 200])
    expect(statuses[1]).toMatchObject({
      errortype: 'PAYLOAD_VALIDATION_FAILED',
      errormessage: expect.stringMatching(/^Header "Transfer-Encoding" cannot be set in the Headers field: .*RFC 9112/)
    })
  })

  it('a bad Movable Ink URL fails every event, naming the setting, and sends nothing', async () => {
    const statuses = await runBatch(users(2), {}, { ...settings, movable_ink_url: 'http://public.example.com/x' })
    for (const s of statuses)
      expect(s).toMatchObject({
        status: 400,
        errormessage: expect.stringMatching(/"Movable Ink URL" setting must use https/)
      })
  })

  it('a Batch Size above 1000 is refused by schema validation', async () => {
    const statuses = await runBatch(users(1), { batch_size: 5000 })
    expect(statuses[0]).toMatchObject({ status: 400, errormessage: 'Batch Size must be equal to or less than 1000.' })
  })
})

describe('planChunks', () => {
  const prepared = (userId: string, headers?: Record<string, string>) =>
    prepareEvent({ data: fixedEvent({ userId }) as unknown as Record<string, unknown>, headers })

  it('never exceeds the batch size or 1000 events', () => {
    const events = Array.from({ length: 2500 }, (_, index) => ({ index, prepared: prepared(`u${index}`) }))
    expect(planChunks(events, 5000).map((c) => c.indices.length)).toEqual([1000, 1000, 500])
    expect(planChunks(events.slice(0, 5), 2).map((c) => c.indices)).toEqual([[0, 1], [2, 3], [4]])
  })

  it('counts the envelope and commas in the size, and fills requests up to just under 1 MB', () => {
    const one = prepareEvent({ data: { ...fixedEvent({ userId: 'u' }), properties: { note: 'y'.repeat(3000) } } })
    const events = Array.from({ length: 1000 }, (_, index) => ({ index, prepared: one }))
    const chunks = planChunks(events, 1000)
    for (const chunk of chunks) expect(chunk.bytes).toBe(Buffer.byteLength(chunkBody(chunk)))
    for (const chunk of chunks) expect(chunk.bytes).toBeLessThan(MAX_BATCH_REQUEST_BYTES)
    // full: one more event would have crossed the limit
    expect(chunks[0].bytes + 1 + one.bytes).toBeGreaterThanOrEqual(MAX_BATCH_REQUEST_BYTES)
  })

  it('a chunk of one event is the bare event, two or more the envelope', () => {
    expect(chunkBody({ bodies: ['{"a":1}'] })).toBe('{"a":1}')
    expect(chunkBody({ bodies: ['{"a":1}', '{"b":2}'] })).toBe('{"events":[{"a":1},{"b":2}]}')
  })
})
