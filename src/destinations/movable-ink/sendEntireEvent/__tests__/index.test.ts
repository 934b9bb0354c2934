import nock from 'nock'
import {
  createTestIntegration,
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError,
  RetryableError
} from '@segment/actions-core'
import type { JSONObject } from '@segment/actions-core'
import definition from '../../index'
import { isRetryableError } from '../../movableInkErrors'
import { MAX_REQUEST_BYTES } from '../../limits'
import {
  captureRequests,
  ENDPOINT_ORIGIN,
  ENDPOINT_PATH,
  fixedEvent,
  settings,
  setUpNock,
  SECRET
} from '../../__tests__/__helpers__/testSetup'

setUpNock()
const testDestination = createTestIntegration(definition)

function run(event = fixedEvent(), mapping?: JSONObject, overrideSettings = settings) {
  return testDestination.testAction('sendEntireEvent', {
    event,
    settings: overrideSettings,
    mapping: mapping ?? { data: { '@path': '$.' } },
    useDefaultMappings: mapping === undefined
  })
}

/** Runs an event that must be refused before any request: net connect is off and nothing is intercepted. */
async function expectRefusedWithoutRequest(promise: Promise<unknown>, message: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(PayloadValidationError)
  expect((error as Error).message).toMatch(message)
  expect(isRetryableError(error)).toBe(false)
  expect(testDestination.responses).toHaveLength(0)
}

describe('Send Entire Event: a valid event', () => {
  it('POSTs the whole event as JSON to the Movable Ink URL', async () => {
    const captured = captureRequests()
    const event = fixedEvent({ properties: { product_id: 'p-1', price: 9.99 } })
    const responses = await run(event)
    expect(responses[0].status).toBe(200)
    expect(captured[0].method).toBe('POST')
    expect(captured[0].path).toBe(ENDPOINT_PATH)
    expect(captured[0].headers['content-type']).toBe('application/json')
    expect(JSON.parse(captured[0].body)).toEqual(event)
  })

  it('sends the mapped Data and the Headers field', async () => {
    const captured = captureRequests()
    await run(fixedEvent(), {
      headers: { 'X-Source': 'segment', 'X-Tenant': 42 },
      data: { userId: { '@path': '$.userId' }, timestamp: { '@path': '$.timestamp' }, event: { '@path': '$.event' } }
    })
    expect(captured[0].headers['x-source']).toBe('segment')
    expect(captured[0].headers['x-tenant']).toBe('42')
    expect(JSON.parse(captured[0].body)).toEqual({
      userId: 'user1234',
      timestamp: '2024-05-01T12:00:00.000Z',
      event: 'Test Event'
    })
  })

  it('accepts an anonymous event (anonymousId, no userId)', async () => {
    captureRequests()
    await expect(run(fixedEvent({ userId: null, anonymousId: 'anon-1' }))).resolves.toHaveLength(1)
  })
})

describe("Send Entire Event: Movable Ink's event requirements", () => {
  it.each([
    ['no timestamp', { timestamp: undefined }, /requires a "timestamp".*missing/],
    ['a timestamp that is not a date', { timestamp: 'yesterday' }, /requires a "timestamp".*"yesterday"/],
    ['an impossible date', { timestamp: '2024-13-45T00:00:00Z' }, /requires a "timestamp"/],
    ['neither userId nor anonymousId', { userId: null, anonymousId: null }, /requires a "userId" or an "anonymousId"/],
    ['blank ids', { userId: '  ', anonymousId: '' }, /requires a "userId" or an "anonymousId"/]
  ])('refuses an event with %s, and sends nothing', async (_name, change, message) => {
    const event = { ...fixedEvent(), ...change } as ReturnType<typeof fixedEvent>
    await expectRefusedWithoutRequest(run(event), message)
  })

  it('names every unmet requirement at once', async () => {
    const event = { ...fixedEvent(), timestamp: undefined, userId: null, anonymousId: null } as unknown as ReturnType<
      typeof fixedEvent
    >
    await expectRefusedWithoutRequest(run(event), /timestamp.*userId/)
  })

  /** A fixed event with other times than `fixedEvent`'s (createTestEvent fills a left-out timestamp in). */
  function timedEvent(times: Record<string, unknown>): ReturnType<typeof fixedEvent> {
    const none = { timestamp: undefined, receivedAt: undefined, sentAt: undefined }
    return { ...fixedEvent(), ...none, ...times } as ReturnType<typeof fixedEvent>
  }

  it('names originalTimestamp when the event has one, with the mapping that would send it', async () => {
    const event = timedEvent({ originalTimestamp: '2024-05-01T11:59:58.000Z', receivedAt: '2024-05-01T12:00:01.000Z' })
    await expectRefusedWithoutRequest(
      run(event),
      /The event has "originalTimestamp" \(2024-05-01T11:59:58.000Z\): to send it as the timestamp, map the Data field to \{"@merge": \{"direction": "left".*"\$.originalTimestamp"/
    )
  })

  it.each([
    ['receivedAt', { timestamp: 'yesterday', receivedAt: '2024-05-01T12:00:01.000Z' }, /"receivedAt".*"right"/],
    ['sentAt', { sentAt: '2024-05-01T12:00:00.500Z' }, /"sentAt".*"left"/]
  ])('names %s when that is the time the event has', async (_name, times, message) => {
    await expectRefusedWithoutRequest(run(timedEvent(times)), message)
  })

  it("says Engage's real calls carry a timestamp when a documentation example of one has none", async () => {
    const personas = { computation_class: 'audience', computation_key: 'first_time_shopper' }
    const example = timedEvent({ messageId: 'personas_1gd2yFDr2Q5bGzRXR3bTUkPiLTX', context: {} })
    await expectRefusedWithoutRequest(run(example), /Engage's real calls carry a timestamp/)
    const byContext = timedEvent({ messageId: 'm-1', context: { personas } })
    await expectRefusedWithoutRequest(run(byContext), /Engage's real calls carry a timestamp/)
    await expectRefusedWithoutRequest(run(timedEvent({})), /missing: send events with their timestamp/)
  })

  it('checks the mapped Data, not the raw event', async () => {
    await expectRefusedWithoutRequest(run(fixedEvent(), { data: { event: { '@path': '$.event' } } }), /timestamp/)
  })

  it('refuses an empty Data field', async () => {
    await expectRefusedWithoutRequest(run(fixedEvent(), { data: { '@path': '$.nothing_here' } }), /Data field is empty/)
  })
})

describe('Send Entire Event: the Headers field', () => {
  it.each([
    ['a non-ASCII value', { 'X-Name': 'Zoë' }, /"X-Name" has a value with characters that are not allowed/],
    ['a CR/LF in a value', { 'X-Evil': 'a\r\nX-Injected: 1' }, /"X-Evil" has a value/],
    ['a non-ASCII name', { 'X-Naïve': 'a' }, /Header name "X-Naïve" is not allowed/],
    ['a space in a name', { 'X Bad': 'a' }, /Header name "X Bad" is not allowed/],
    ['an object value', { 'X-Obj': { a: 1 } }, /"X-Obj" must be text/],
    ['Authorization', { Authorization: 'Basic Zm9vOmJhcg==' }, /"Authorization" cannot be set in the Headers field/],
    ['authorization in lower case', { authorization: 'x' }, /"authorization" cannot be set/],
    ['Content-Type', { 'Content-Type': 'text/plain' }, /"Content-Type" cannot be set/],
    ['Content-Length', { 'Content-Length': '1' }, /"Content-Length" cannot be set/],
    ['Host', { Host: 'evil.test' }, /"Host" cannot be set/]
  ])('refuses %s, and sends nothing', async (_name, headers, message) => {
    await expectRefusedWithoutRequest(run(fixedEvent(), { headers, data: { '@path': '$.' } }), message)
  })

  it.each([
    [
      'Transfer-Encoding',
      'chunked',
      /frames the body itself .*Transfer-Encoding and Content-Length is invalid, RFC 9112/
    ],
    ['transfer-encoding', 'gzip, chunked', /frames the body itself/],
    ['Content-Encoding', 'gzip', /sent as plain JSON/],
    ['Expect', '100-continue', /100-continue would hold it back/],
    ['Upgrade', 'websocket', /hop-by-hop header, RFC 9110 section 7\.6\.1/],
    ['Connection', 'close', /hop-by-hop header/],
    ['Keep-Alive', 'timeout=5', /hop-by-hop header/],
    ['TE', 'trailers', /hop-by-hop header/],
    ['Trailer', 'X-Checksum', /no trailer fields/],
    ['Proxy-Authorization', 'Basic Zm9vOmJhcg==', /takes credentials only from its settings/]
  ])('refuses %s, with the reason, and sends nothing', async (name, value, reason) => {
    const headers = { 'X-Fine': 'yes', [name]: value }
    const message = new RegExp(`Header "${name}" cannot be set in the Headers field: .*${reason.source}.*Remove it`)
    await expectRefusedWithoutRequest(run(fixedEvent(), { headers, data: { '@path': '$.' } }), message)
  })
})

describe('Send Entire Event: the 2 MB limit', () => {
  /** An event whose serialized body is exactly `bytes` long. */
  function eventOfSize(bytes: number) {
    const event = fixedEvent({ properties: { blob: '' } })
    const base = Buffer.byteLength(JSON.stringify(event))
    return fixedEvent({ properties: { blob: 'x'.repeat(bytes - base) } })
  }

  it('sends a body one byte under the limit', async () => {
    const captured = captureRequests()
    await run(eventOfSize(MAX_REQUEST_BYTES - 1))
    expect(Buffer.byteLength(captured[0].body)).toBe(MAX_REQUEST_BYTES - 1)
  })

  it('refuses a body of exactly 2 MB, with its size in the message', async () => {
    await expectRefusedWithoutRequest(
      run(eventOfSize(MAX_REQUEST_BYTES)),
      /is 2\.00 MB \(2000000 bytes\).*2 MB \(2000000 bytes\) or more/
    )
  })

  it('measures bytes, not characters', async () => {
    const event = fixedEvent({ properties: { text: 'é'.repeat(MAX_REQUEST_BYTES / 2) } })
    await expectRefusedWithoutRequest(run(event), /bytes\) once serialized/)
  })
})

describe('Send Entire Event: the Movable Ink URL setting is checked before every request', () => {
  it.each([
    ['http to a public host', 'http://events.movable-ink.test/x', /must use https/],
    ['credentials in the URL', 'https://k:s@events.movable-ink.test/x', /must not contain credentials/],
    ['ftp', 'ftp://events.movable-ink.test/x', /must use https, not "ftp"/]
  ])('refuses %s', async (_name, url, message) => {
    const error = await run(fixedEvent(), undefined, { ...settings, movable_ink_url: url }).catch((e) => e)
    expect(error).toBeInstanceOf(IntegrationError)
    expect(error.message).toMatch(/"Movable Ink URL" setting/)
    expect(error.message).toMatch(message)
    expect(testDestination.responses).toHaveLength(0)
  })

  it.each(['http://localhost:8080/events', 'http://127.0.0.1:9/e', 'http://[::1]:8080/e'])(
    'allows loopback over http: %s',
    async (url) => {
      const origin = new URL(url).origin
      nock(origin).post(new URL(url).pathname).reply(200, {})
      await expect(run(fixedEvent(), undefined, { ...settings, movable_ink_url: url })).resolves.toHaveLength(1)
    }
  )
})

describe("Send Entire Event: Movable Ink's answers", () => {
  async function answer(status: number, body: unknown = '', headers: Record<string, string> = {}) {
    nock(ENDPOINT_ORIGIN)
      .post(ENDPOINT_PATH)
      .reply(status, body as string, headers)
    return run().then(
      () => undefined,
      (e: unknown) => e as Error & { status?: number; code?: string; retryAfterMs?: number }
    )
  }

  it.each([401, 403])('%i: InvalidAuthenticationError naming both credential settings, not retried', async (status) => {
    const error = await answer(status, 'denied')
    expect(error).toBeInstanceOf(InvalidAuthenticationError)
    expect(error!.message).toMatch(
      new RegExp(`HTTP ${status}.*Username \\(your Movable Ink Access Key ID\\) and Access Secret`)
    )
    expect(error!.message).not.toContain(SECRET)
    expect(isRetryableError(error)).toBe(false)
  })

  it('404: points at the Movable Ink URL setting, not retried', async () => {
    const error = await answer(404)
    expect(error).toBeInstanceOf(IntegrationError)
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND' })
    expect(error!.message).toMatch(/check the Movable Ink URL setting/)
    expect(isRetryableError(error)).toBe(false)
  })

  it.each([400, 422])('%i: quotes Movable Ink and hints that the event may not be mapped yet', async (status) => {
    const error = await answer(status, JSON.stringify({ message: 'Unknown event "Widget Spun"' }), {
      'content-type': 'application/json'
    })
    expect(error).toBeInstanceOf(IntegrationError)
    expect(error!.status).toBe(status)
    expect(error!.message).toContain('Movable Ink said: "Unknown event "Widget Spun""')
    expect(error!.message).toMatch(/may not have mapped this event yet/)
    expect(isRetryableError(error)).toBe(false)
  })

  it('400 with a plain-text body quotes it, shortened', async () => {
    const error = await answer(400, 'bad '.repeat(200))
    expect(error!.message).toMatch(/Movable Ink said: "bad bad/)
    expect(error!.message).toMatch(/…"/)
  })

  it('413: too large, not retried', async () => {
    const error = await answer(413)
    expect(error).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' })
    expect(error!.message).toMatch(/under 2 MB/)
    expect(isRetryableError(error)).toBe(false)
  })

  it('429: RetryableError that keeps Retry-After', async () => {
    const error = await answer(429, 'slow down', { 'retry-after': '12' })
    expect(error).toBeInstanceOf(RetryableError)
    expect(error).toMatchObject({ status: 429, retryAfterMs: 12000 })
    expect(error!.message).toMatch(/wait 12 s/)
    expect(isRetryableError(error)).toBe(true)
  })

  it('429 with an HTTP-date Retry-After', async () => {
    const at = new Date(Date.now() + 30_000).toUTCString()
    const error = await answer(429, '', { 'retry-after': at })
    expect(error!.retryAfterMs).toBeGreaterThan(25_000)
    expect(error!.retryAfterMs).toBeLessThanOrEqual(30_000)
  })

  it.each([500, 502, 503, 504])('%i: retryable', async (status) => {
    const error = await answer(status, 'oops')
    expect(error).toBeInstanceOf(RetryableError)
    expect(error!.status).toBe(status)
    expect(isRetryableError(error)).toBe(true)
  })

  it.each([408, 423])('%i: retryable, as Segment retries it', async (status) => {
    const error = await answer(status)
    expect(error).toBeInstanceOf(RetryableError)
  })

  it('501: not retried', async () => {
    const error = await answer(501)
    expect(error).toBeInstanceOf(IntegrationError)
    expect(error).not.toBeInstanceOf(RetryableError)
    expect(isRetryableError(error)).toBe(false)
  })

  it('other 4xx (409): not retried, says the status', async () => {
    const error = await answer(409)
    expect(error).toMatchObject({ status: 409 })
    expect(isRetryableError(error)).toBe(false)
  })

  it('a connection refused is retryable, and was not sent', async () => {
    nock(ENDPOINT_ORIGIN).post(ENDPOINT_PATH).replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' })
    const error = await run().catch((e) => e)
    expect(error).toBeInstanceOf(RetryableError)
    expect(error.message).toMatch(/^Could not reach Movable Ink \(ECONNREFUSED\)/)
    expect(error).toMatchObject({ reached: 'not-sent', connectionCode: 'ECONNREFUSED' })
  })

  it('a dropped connection is retryable, and says Movable Ink may have stored the event', async () => {
    nock(ENDPOINT_ORIGIN).post(ENDPOINT_PATH).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
    const error = await run().catch((e) => e)
    expect(error).toBeInstanceOf(RetryableError)
    expect(error.message).toMatch(
      /^The connection to Movable Ink dropped before a complete answer came \(ECONNRESET\): Movable Ink may have stored the event/
    )
    expect(error).toMatchObject({ reached: 'unknown', connectionCode: 'ECONNRESET' })
  })

  it('an unknown host name (ENOTFOUND) is not retried and points at the URL setting', async () => {
    nock(ENDPOINT_ORIGIN).post(ENDPOINT_PATH).replyWithError({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' })
    const error = await run().catch((e) => e)
    expect(error).toBeInstanceOf(IntegrationError)
    expect(isRetryableError(error)).toBe(false)
    expect(error.message).toMatch(/host name of the Movable Ink URL setting does not exist/)
  })

  it('a resolver that did not answer (EAI_AGAIN) is retryable', async () => {
    nock(ENDPOINT_ORIGIN).post(ENDPOINT_PATH).replyWithError({ code: 'EAI_AGAIN', message: 'getaddrinfo EAI_AGAIN' })
    const error = await run().catch((e) => e)
    expect(error).toBeInstanceOf(RetryableError)
  })

  it('a timeout is retryable', async () => {
    // actions-core's request deadline (10 s) passes on jest's fake clock (the same default fake timers in jest 27
    // and 29), so the test waits for it no more than for Movable Ink's answer, which nock holds back for 10.5 s
    // on Node's own timers. The fake clock also stands in for setImmediate: the real one, kept here, lets the
    // request's own steps run between two moves of the clock.
    const realSetImmediate = setImmediate
    const turn = () => new Promise((resolve) => realSetImmediate(resolve))
    nock(ENDPOINT_ORIGIN).post(ENDPOINT_PATH).delay(10_500).reply(200, {})
    jest.useFakeTimers()
    try {
      let settled = false
      const outcome = run().then(
        () => undefined,
        (e) => e
      )
      void outcome.then(() => (settled = true))
      for (let elapsed = 0; !settled && elapsed <= 10_000; elapsed += 250) {
        await turn()
        jest.advanceTimersByTime(250)
      }
      const error = await outcome
      expect(error).toBeInstanceOf(RetryableError)
      expect(error).toMatchObject({ status: 408 })
      expect(error.message).toMatch(/did not answer in time/)
    } finally {
      jest.useRealTimers()
      nock.abortPendingRequests()
    }
  })
})
