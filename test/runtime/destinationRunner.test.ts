import { createServer } from 'http'
import type { Server } from 'http'
import { listenOnLoopback, closeServer } from '../../src/io/loopback'
import { DestinationRunner } from '../../src/runtime/destinationRunner'
import { presetSubscriptions } from '../../src/runtime/subscriptions'

/** Outcomes are data: the runner says delivered / not subscribed / failed with a code and whether it reached Movable Ink. */

const [preset] = presetSubscriptions()
const event = (overrides: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Signed Up',
  userId: 'u-1',
  messageId: 'm-1',
  timestamp: new Date().toISOString(),
  ...overrides
})

let server: Server
let port: number
let answer: (res: import('http').ServerResponse, req: import('http').IncomingMessage) => void
let requests = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++
    req.resume()
    req.on('end', () => answer(res, req))
  })
  port = await listenOnLoopback(server)
})
afterAll(() => closeServer(server, true))
beforeEach(() => (requests = 0))

const settings = () => ({
  movable_ink_url: `http://127.0.0.1:${port}/behavioral/k`,
  username: 'u',
  password: 'secret-1'
})

describe('DestinationRunner', () => {
  it('tells "not subscribed" as data, without running the action', async () => {
    answer = (res) => res.end('{}')
    const runner = new DestinationRunner(settings(), preset)
    expect(await runner.run(event({ type: 'alias' }))).toEqual({ outcome: { kind: 'not subscribed' } })
    expect(requests).toBe(0)
  })

  it('gives the status and Movable Ink answer of a delivered event', async () => {
    answer = (res) => {
      res.writeHead(202, { 'content-type': 'application/json', 'x-request-id': 'rid-7' })
      res.end('{"message":"ok"}')
    }
    const { outcome, answer: got } = await new DestinationRunner(settings(), preset).run(event())
    expect(outcome).toEqual({ kind: 'delivered', status: 202 })
    expect(got).toEqual({ status: 202, body: '{"message":"ok"}', requestId: 'rid-7' })
  })

  it('marks an event that fails the checks as never sent', async () => {
    const { outcome } = await new DestinationRunner(settings(), preset).run(event({ timestamp: undefined }))
    expect(outcome).toMatchObject({
      kind: 'failed',
      code: 'PAYLOAD_VALIDATION_FAILED',
      retryable: false,
      reached: 'not-sent'
    })
    expect(requests).toBe(0)
  })

  it('tells a refused connection (not sent) from a connection dropped mid-request (unknown)', async () => {
    const closed = { ...settings(), movable_ink_url: 'http://127.0.0.1:1/behavioral/k' }
    const refused = await new DestinationRunner(closed, preset).sendOne(event())
    expect(refused).toMatchObject({ kind: 'failed', retryable: true, reached: 'not-sent' })
    answer = (_res, req) => req.socket.destroy()
    const dropped = await new DestinationRunner(settings(), preset).sendOne(event())
    expect(dropped).toMatchObject({ kind: 'failed', retryable: true, reached: 'unknown' })
  })

  it('in a batch, keeps every event at its index: not subscribed, invalid, and what the request got', async () => {
    answer = (res) => {
      res.writeHead(503, { 'content-type': 'application/json' })
      res.end('{"message":"down"}')
    }
    const runner = new DestinationRunner(settings(), preset, { batchSize: 10 })
    const outcomes = await runner.sendMany([
      event(),
      event({ type: 'alias' }),
      event({ userId: undefined, messageId: 'm-3' })
    ])
    expect(outcomes[0]).toMatchObject({ kind: 'failed', status: 503, retryable: true, reached: 'answered' })
    expect(outcomes[1]).toEqual({ kind: 'not subscribed' })
    expect(outcomes[2]).toMatchObject({ kind: 'failed', code: 'PAYLOAD_VALIDATION_FAILED', reached: 'not-sent' })
  })

  it('in a batch, a dropped connection is an unknown outcome for the events it carried', async () => {
    answer = (_res, req) => req.socket.destroy()
    const runner = new DestinationRunner(settings(), preset, { batchSize: 10 })
    const outcomes = await runner.sendMany([event(), event({ messageId: 'm-2' })])
    outcomes.forEach((o) => expect(o).toMatchObject({ kind: 'failed', retryable: true, reached: 'unknown' }))
  })
})
