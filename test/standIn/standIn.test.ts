import { readFileSync } from 'fs'
import { join } from 'path'
import { compileEndpoint, DEFAULT_ENDPOINT_FILE, loadEndpointFile } from '../../src/endpointModel'
import type { CompiledEndpoint } from '../../src/endpointModel'
import { jqStopsSoFar } from '../../src/endpointModel/jq'
import { startStandIn } from '../../src/standIn/standIn'
import type { StandIn, StandInOptions } from '../../src/standIn/standIn'
import { tempDir } from '../cli/helpers'

const USERNAME = 'AKID-stand-in'
const SECRET = 'stand-in-secret-1a2b3c'
const AUTH = `Basic ${Buffer.from(`${USERNAME}:${SECRET}`).toString('base64')}`
const NOW = Date.parse('2026-11-22T12:00:00.000Z')
const DAY = 24 * 60 * 60 * 1000

let endpoint: CompiledEndpoint
beforeAll(async () => {
  endpoint = await loadEndpointFile(DEFAULT_ENDPOINT_FILE)
})

const running: StandIn[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()))
})

async function standIn(options: Partial<StandInOptions> = {}): Promise<StandIn> {
  const started = await startStandIn({
    username: USERNAME,
    password: SECRET,
    record: false,
    endpoint,
    now: () => NOW,
    ...options
  })
  running.push(started)
  return started
}

function post(url: string, body: unknown, authorization: string | null = AUTH): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })
}

const at = (ms: number) => new Date(ms).toISOString()
const viewed = (messageId: string, timestamp = at(NOW - 60_000)) => ({
  type: 'track',
  event: 'Product Viewed',
  messageId,
  userId: 'u-1',
  timestamp,
  properties: { product_id: 'sku-1', name: 'Shoe', price: 42, category: 'Shoes', url: 'https://shop.example/shoe' }
})
const group = (messageId: string) => ({ type: 'group', groupId: 'g-1', messageId, userId: 'u-1', timestamp: at(NOW) })

describe('the stand-in as a Customer Data Endpoint: routes', () => {
  it('serves POST /behavioral/<key> only, with the key of the endpoint file', async () => {
    const server = await standIn()
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/behavioral/local-stand-in`)
    const other = await compileEndpoint({ ...endpoint.spec, endpointKey: 'acme-7f3a' })
    const acme = await standIn({ endpoint: other })
    expect(acme.url).toMatch(/\/behavioral\/acme-7f3a$/)
    expect((await post(acme.url, viewed('m-1'))).status).toBe(200)
  })

  it('answers an unknown key with a JSON 404 and a request id, before checking credentials', async () => {
    const server = await standIn()
    const response = await post(`http://127.0.0.1:${server.port}/behavioral/not-this-key`, viewed('m-1'), null)
    expect(response.status).toBe(404)
    const requestId = response.headers.get('x-request-id')
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(await response.json()).toEqual({ message: 'Behavioral endpoint key not found', request_id: requestId })
  })

  it('answers any other path with a plain-text "404 page not found"', async () => {
    const server = await standIn()
    for (const path of ['/events', '/behavioral', '/behavioral/local-stand-in/extra', '/']) {
      const response = await post(`http://127.0.0.1:${server.port}${path}`, viewed('m-1'))
      expect(response.status).toBe(404)
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
      expect(response.headers.get('x-request-id')).toBeTruthy()
      expect(await response.text()).toBe('404 page not found')
    }
  })

  it('puts a distinct x-request-id on every answer, the same id as in its JSON body', async () => {
    const server = await standIn()
    const answers = await Promise.all([
      post(server.url, viewed('m-1')),
      post(server.url, '{', AUTH),
      post(server.url, {}, null)
    ])
    expect(answers.map((a) => a.status)).toEqual([200, 400, 401])
    const ids = answers.map((a) => a.headers.get('x-request-id'))
    expect(new Set(ids).size).toBe(3)
    for (const [i, answer] of answers.entries()) expect((await answer.json()).request_id).toBe(ids[i])
  })

  it('answers a key that is not valid percent-encoding (/behavioral/%E0%A4%A) as an unknown key: JSON 404, request id', async () => {
    const server = await standIn()
    const response = await post(`http://127.0.0.1:${server.port}/behavioral/%E0%A4%A`, viewed('m-1'), null)
    expect(response.status).toBe(404)
    const requestId = response.headers.get('x-request-id')
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(await response.json()).toEqual({ message: 'Behavioral endpoint key not found', request_id: requestId })
    expect(server.stats.byStatus).toEqual({ 404: 1 })
  })

  it('answers 405 to a GET on the endpoint', async () => {
    const server = await standIn()
    const response = await fetch(server.url, { headers: { authorization: AUTH } })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST')
  })
})

describe('the stand-in as a Customer Data Endpoint: event mappings', () => {
  it('stores each event with the mapping it matched and its extracted fields', async () => {
    const record = join(tempDir(), 'received.jsonl')
    const server = await standIn({ record })
    const response = await post(server.url, viewed('m-1'))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ message: 'ok', events: 1 })
    const stored = JSON.parse(readFileSync(record, 'utf8').trim())
    expect(stored.movableInk).toEqual([
      expect.objectContaining({ messageId: 'm-1', fate: 'stored', mapping: 'Product Viewed', problems: [] })
    ])
    expect(stored.movableInk[0].fields).toMatchObject({
      ID: 'sku-1',
      Price: 42,
      Title: 'Shoe',
      Timestamp: NOW - 60_000
    })
  })

  it('refuses by default a request with an event no mapping takes, naming the event and the fix', async () => {
    const server = await standIn()
    const response = await post(server.url, { events: [viewed('m-1'), group('m-2')] })
    expect(response.status).toBe(400)
    const { message } = await response.json()
    expect(message).toContain('Refused the batch (1 of 2 events): event 2 of 2 (group, messageId "m-2")')
    expect(message).toContain('No active event mapping matches')
    expect(message).toContain('.type == "group"')
    expect(server.stats).toMatchObject({ events: 0, refusedEvents: 2, accepted: 0 })
  })

  it('stores an unmapped event with --unmapped accept, recording that no mapping took it', async () => {
    const record = join(tempDir(), 'received.jsonl')
    const server = await standIn({ unmapped: 'accept', record })
    expect((await post(server.url, group('m-2'))).status).toBe(200)
    const stored = JSON.parse(readFileSync(record, 'utf8').trim())
    expect(stored.movableInk[0]).toMatchObject({ messageId: 'm-2', fate: 'stored', mapping: null })
    expect(server.stats.events).toBe(1)
  })

  it('refuses, drops or stores an event older than 30 days, as --older-than-30-days says', async () => {
    const old = viewed('m-old', at(NOW - 31 * DAY))
    const recent = viewed('m-new', at(NOW - 29 * DAY))
    const reject = await standIn()
    const refused = await post(reject.url, old)
    expect(refused.status).toBe(400)
    expect((await refused.json()).message).toContain('timestamp is 31 days old')
    expect((await post(reject.url, recent)).status).toBe(200)

    const drop = await standIn({ olderThan30Days: 'drop' })
    const dropped = await post(drop.url, { events: [old, recent] })
    expect(dropped.status).toBe(200)
    expect(await dropped.json()).toMatchObject({ events: 1, dropped: 1 })
    expect(drop.stats).toMatchObject({ events: 1, dropped: 1 })

    const accept = await standIn({ olderThan30Days: 'accept' })
    expect((await post(accept.url, old)).status).toBe(200)
    expect(accept.stats).toMatchObject({ events: 1, dropped: 0 })
  })

  it('does not deduplicate: the same messageId twice is stored twice and counted as a duplicate', async () => {
    const lines: string[] = []
    const server = await standIn({ log: (line) => lines.push(line) })
    for (let i = 0; i < 3; i++) expect((await post(server.url, viewed('m-same'))).status).toBe(200)
    expect((await post(server.url, viewed('m-other'))).status).toBe(200)
    expect(server.stats).toMatchObject({ events: 4, duplicates: 2, accepted: 4 })
    expect(lines.map((l) => / -> 200 (.*?) \(/.exec(l)?.[1])).toEqual([
      '1 event: Product Viewed',
      '1 event, 1 duplicate by messageId: Product Viewed',
      '1 event, 1 duplicate by messageId: Product Viewed',
      '1 event: Product Viewed'
    ])
  })

  it('tells the caller each event, its evaluation and its fate', async () => {
    const seen: string[] = []
    const server = await standIn({
      unmapped: 'accept',
      onEvent: (_event, evaluation, verdict) => seen.push(`${evaluation?.mapping?.name ?? 'none'}:${verdict.fate}`)
    })
    await post(server.url, { events: [viewed('m-1'), group('m-2')] })
    expect(seen).toEqual(['Product Viewed:stored', 'none:stored'])
  })
})

describe('the stand-in as a Customer Data Endpoint: events nested too deep', () => {
  const nested = (messageId: string, levels: number) => ({
    ...viewed(messageId),
    properties: { x: JSON.parse('['.repeat(levels) + ']'.repeat(levels)) }
  })
  const deepText = (messageId: string, levels: number) =>
    JSON.stringify(viewed(messageId)).replace(
      '"properties":{',
      `"properties":{"x":${'['.repeat(levels)}${']'.repeat(levels)},`
    )

  it('refuses a body nested 100,000 levels deep with a 400 that names the event, counted by status', async () => {
    const lines: string[] = []
    const server = await standIn({ log: (line) => lines.push(line) })
    const response = await post(server.url, deepText('m-deep', 100_000))
    expect(response.status).toBe(400)
    const requestId = response.headers.get('x-request-id')
    expect(await response.json()).toEqual({
      message: expect.stringMatching(
        /^Refused the event \(track "Product Viewed", messageId "m-deep"\): nested 100002 levels deep; Movable Ink's mappings and Segment's pipeline cannot use it/
      ),
      request_id: requestId
    })
    expect(server.stats).toMatchObject({ requests: 1, accepted: 0, refusedEvents: 1, byStatus: { 400: 1 } })
    expect(lines).toEqual([expect.stringContaining(`-> 400 refused: nested 100002 levels deep`)])
  })

  it('refuses a batch holding one such event, naming it; an event of 128 levels in a batch passes', async () => {
    const server = await standIn({ unmapped: 'accept' })
    const body = `{"events":[${JSON.stringify(viewed('m-1'))},${deepText('m-2', 6000)}]}`
    const refused = await post(server.url, body)
    expect(refused.status).toBe(400)
    expect((await refused.json()).message).toMatch(
      /^Refused the batch \(1 of 2 events\): event 2 of 2 \(track "Product Viewed", messageId "m-2"\): nested 6002 levels deep/
    )
    // The envelope adds two levels to the body: its events still nest 128 deep at most.
    const deepest = nested('m-3', 126)
    expect((await post(server.url, { events: [viewed('m-1'), deepest] })).status).toBe(200)
    expect((await post(server.url, nested('m-4', 127))).status).toBe(400)
  })
})

describe('the stand-in as a Customer Data Endpoint: faults', () => {
  it('answers 429 without Retry-After by default (as observed), with it when asked', async () => {
    const plain = await standIn({ faults: { rate429: 1 } })
    const bare = await post(plain.url, viewed('m-1'))
    expect(bare.status).toBe(429)
    expect(bare.headers.get('retry-after')).toBeNull()
    const told = await standIn({ faults: { rate429: 1, retryAfterSeconds: 3 } })
    expect((await post(told.url, viewed('m-1'))).headers.get('retry-after')).toBe('3')
    expect(told.stats.events).toBe(0)
  })

  it('stops within a second with an answer held back, counting that request as not answered (status 0)', async () => {
    const lines: string[] = []
    const server = await startStandIn({
      username: USERNAME,
      password: SECRET,
      record: false,
      faults: { rateSlow: 1, slowMs: 600_000 },
      log: (line) => lines.push(line)
    })
    const held = post(server.url, viewed('m-1')).then(
      (r) => r.status,
      () => 'dropped'
    )
    while (server.stats.requests === 0) await new Promise((resolve) => setTimeout(resolve, 10))
    const stopAsked = Date.now()
    await server.close()
    expect(Date.now() - stopAsked).toBeLessThan(5000)
    expect(await held).toBe('dropped')
    expect(server.stats).toMatchObject({ requests: 1, accepted: 0, byStatus: { 0: 1 } })
    expect(lines).toEqual([expect.stringContaining('-> 0 not answered: the stand-in stopped')])
  })

  it('rolls the same faults for the same seed', async () => {
    const statuses = async (seed: number) => {
      const server = await standIn({ seed, faults: { rate500: 0.5 } })
      const out: number[] = []
      for (let i = 0; i < 12; i++) out.push((await post(server.url, viewed(`m-${i}`))).status)
      return out
    }
    const first = await statuses(7)
    expect(await statuses(7)).toEqual(first)
    expect(first).toContain(500)
    expect(first).toContain(200)
  })
})

describe('the stand-in with runaways from other clients', () => {
  /** The endpoint with a mapping whose field runs away, compiled with this deadline. */
  async function withRunaway(deadlineMs: number): Promise<CompiledEndpoint> {
    const runawayMapping = {
      name: 'Runaway mapping',
      schema: 'Custom',
      match: '.event == "Runaway"',
      active: true,
      fields: [
        { name: 'Timestamp', path: '.timestamp', type: 'string', required: true },
        // Each test its own expression: what ran away is kept per program for the process.
        { name: 'Stuck', path: `def stuck${deadlineMs}: stuck${deadlineMs}; stuck${deadlineMs}`, type: 'any' }
      ]
    }
    const mappings = [runawayMapping, ...endpoint.spec.mappings]
    return compileEndpoint({ ...endpoint.spec, mappings }, undefined, { deadlineMs })
  }

  it("answers another client's plain event at once while one client's batch of runaways waits for its culprit", async () => {
    // A deadline the run with marks that names the culprit cannot beat the plain event's answer by, even when
    // a jq thread has to start for it on a loaded machine: 600 ms lost once, on a fresh clone's first minute
    // (the checks beside jest, the workers' transpile cache still empty).
    const server = await standIn({ endpoint: await withRunaway(2000) })
    const before = jqStopsSoFar()
    const events = Array.from({ length: 20 }, (_, i) => ({ ...viewed(`r-${i}`), event: 'Runaway' }))
    const batch = post(server.url, { events })
    // The plain event arrives once the batch's first runaway was stopped, while its culprit is hunted (that run
    // with marks takes a deadline of its own): whatever the machine's load, it is that moment that is tested.
    while (jqStopsSoFar() === before) await new Promise((resolve) => setTimeout(resolve, 10))
    const plain = post(server.url, viewed('plain')).then((r) => ({ status: r.status, stops: jqStopsSoFar() - before }))
    const [answer, refused] = await Promise.all([plain, batch])
    expect(answer.status).toBe(200)
    // Before: it waited for the hunt (2 stops) and then for the batch's next runaway (3). Now the first only.
    // (An event that arrives while that first one runs waits for it: runawayBudget.test.ts.)
    expect(answer.stops).toBe(1)
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('field Stuck did not finish within 2000 ms')
  }, 60_000)

  it("answers another client's plain event after two runaways and the run that names the expression, however many clients", async () => {
    const server = await standIn({ endpoint: await withRunaway(100) })
    const before = jqStopsSoFar()
    // Eight clients, one runaway each, and a ninth client's plain event: the stops jq made before its answer.
    const stuck = Array.from({ length: 8 }, (_, i) => post(server.url, { ...viewed(`r-${i}`), event: 'Runaway' }))
    const plain = post(server.url, viewed('plain')).then((r) => ({ status: r.status, stops: jqStopsSoFar() - before }))
    const [answer, ...refused] = await Promise.all([plain, ...stuck])
    expect(answer.status).toBe(200)
    // Behind a deadline each (and their runs with marks) before; now the first, its hunt, and one more at most.
    expect(answer.stops).toBeLessThanOrEqual(3)
    for (const response of refused) {
      expect(response.status).toBe(400)
      expect(await response.text()).toContain('field Stuck did not finish within 100 ms')
    }
  }, 60_000)
})
