import nock from 'nock'
import { createTestEvent } from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import type { Settings } from '../../generated-types'

export const ENDPOINT_ORIGIN = 'https://events.movable-ink.test'
export const ENDPOINT_PATH = '/v1/segment/events'
export const SECRET = 'super-secret-access-value'
export const settings: Settings = {
  username: 'access-key-id',
  password: SECRET,
  movable_ink_url: ENDPOINT_ORIGIN + ENDPOINT_PATH
}
export const EXPECTED_AUTHORIZATION = 'Basic ' + Buffer.from(`access-key-id:${SECRET}`).toString('base64')

/** A fixed event (no random ids or clock) so that snapshots and comparisons are deterministic. */
export function fixedEvent(overrides: Partial<SegmentEvent> = {}): SegmentEvent {
  return createTestEvent({
    messageId: 'msg-0001',
    timestamp: '2024-05-01T12:00:00.000Z',
    receivedAt: '2024-05-01T12:00:01.000Z',
    sentAt: '2024-05-01T12:00:00.500Z',
    ...overrides
  })
}

export interface CapturedRequest {
  method: string
  path: string
  headers: Record<string, string>
  body: string
}

/** Answers `times` POSTs to the test endpoint with `status`, recording each request exactly as it arrived. */
export function captureRequests(
  status = 200,
  reply: unknown = { ok: true },
  times = 1,
  replyHeaders: Record<string, string> = {}
): CapturedRequest[] {
  const captured: CapturedRequest[] = []
  nock(ENDPOINT_ORIGIN)
    .post(ENDPOINT_PATH)
    .times(times)
    .reply(function (uri, body) {
      captured.push({
        method: this.req.method ?? '',
        path: uri,
        headers: Object.fromEntries(
          Object.entries(this.req.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(', ') : String(value)
          ])
        ),
        body: typeof body === 'string' ? body : JSON.stringify(body)
      })
      return [
        status,
        typeof reply === 'string' ? reply : JSON.stringify(reply),
        { 'content-type': 'application/json', ...replyHeaders }
      ]
    })
  return captured
}

export function setUpNock(): void {
  beforeAll(() => nock.disableNetConnect())
  afterEach(() => nock.cleanAll())
  afterAll(() => nock.enableNetConnect())
}
