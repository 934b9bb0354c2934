import nock from 'nock'
import { createTestIntegration } from '@segment/actions-core'
import definition from '../index'
import { classifyResponse } from '../movableInkErrors'
import { ENDPOINT_ORIGIN, ENDPOINT_PATH, fixedEvent, settings, setUpNock } from './__helpers__/testSetup'

setUpNock()
const testDestination = createTestIntegration(definition)
const REQUEST_ID = '7c1f7a52-3b0e-4d2a-9a51-0f6f2b8c1d3e'

type Status = { status: number; errormessage?: string; body?: unknown }

async function perform(): Promise<Error> {
  try {
    await testDestination.testAction('sendEntireEvent', {
      event: fixedEvent(),
      settings,
      mapping: { data: { '@path': '$.' } }
    })
  } catch (error) {
    return error as Error
  }
  throw new Error('the action did not fail')
}

async function batch(): Promise<Status[]> {
  await testDestination.testBatchAction('sendEntireEvent', {
    events: [fixedEvent({ userId: 'a' }), fixedEvent({ userId: 'b' })],
    settings,
    mapping: { data: { '@path': '$.' }, enable_batching: true, batch_size: 100 }
  })
  const [result] = testDestination.results as unknown as [{ multistatus: Status[] }]
  return result.multistatus
}

/** What Movable Ink is known to answer: JSON with `message` and `request_id`, and `x-request-id` always. */
function answer(status: number, message: string, times = 1) {
  nock(ENDPOINT_ORIGIN)
    .post(ENDPOINT_PATH)
    .times(times)
    .reply(status, { message, request_id: REQUEST_ID }, { 'x-request-id': REQUEST_ID })
}

describe("errors carry what Movable Ink said and its request id, for Movable Ink's Client Experience team", () => {
  it.each([
    [400, 'Event does not match any active mapping', /rejected the event \(HTTP 400\)/],
    [404, 'Behavioral endpoint key not found', /does not know the endpoint key.*after \/behavioral\/ is wrong/],
    [413, 'Payload too large', /too large \(HTTP 413\)/],
    [429, 'Slow down', /too many requests \(HTTP 429\)/],
    [500, 'Internal server error', /temporary problem \(HTTP 500\)/],
    [503, 'Service unavailable', /temporary problem \(HTTP 503\)/]
  ])('HTTP %i, one event: the message, its id and what it means', async (status, message, meaning) => {
    answer(status, message)
    const error = await perform()
    expect(error.message).toMatch(meaning)
    expect(error.message).toContain(`Movable Ink said: "${message}"`)
    expect(error.message).toContain(`request id ${REQUEST_ID}`)
    expect(error.message).toMatch(/Client Experience team/)
  })

  it.each([400, 404, 413, 429, 500])('HTTP %i, a batch: every event carries the message and the id', async (status) => {
    answer(status, 'Behavioral endpoint key not found')
    const statuses = await batch()
    for (const s of statuses) {
      expect(s.status).toBe(status)
      expect(s.errormessage).toContain(`request id ${REQUEST_ID}`)
      expect(s.body).toEqual({ message: 'Behavioral endpoint key not found', request_id: REQUEST_ID })
    }
  })

  it('a 404 without the unknown-key message keeps the general URL hint', async () => {
    nock(ENDPOINT_ORIGIN).post(ENDPOINT_PATH).reply(404, '404 page not found', { 'x-request-id': 'r-1' })
    const error = await perform()
    expect(error.message).toMatch(/no endpoint at the configured address \(HTTP 404\)/)
    expect(error.message).toContain('Movable Ink said: "404 page not found" (request id r-1')
  })

  it('takes the request id from x-request-id when the body has none', () => {
    const failure = classifyResponse(500, 'oops', { get: (name) => (name === 'x-request-id' ? 'hdr-9' : null) })
    expect(failure.requestId).toBe('hdr-9')
    expect(failure.message).toContain('Movable Ink said: "oops" (request id hdr-9')
  })

  it('quotes a short, single-line, printable excerpt of a text body', () => {
    const body = '<html>\n\t<body>\u0007' + 'z'.repeat(5000) + '</body></html>'
    const failure = classifyResponse(502, body, null)
    expect(failure.body).toMatch(/^<html> <body> z+…$/)
    expect(failure.body?.length).toBeLessThanOrEqual(301)
    // eslint-disable-next-line no-control-regex
    expect(failure.message).not.toMatch(/[\u0000-\u001f]/)
  })

  it('without a body or id, says nothing made up', () => {
    const failure = classifyResponse(503, '', null)
    expect(failure.message).toBe('Movable Ink had a temporary problem (HTTP 503); a later attempt can succeed.')
    expect(failure.requestId).toBeUndefined()
  })
})
