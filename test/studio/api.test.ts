import { readFileSync } from 'fs'
import { join } from 'path'
import { gzipSync } from 'zlib'
import { DEFAULT_ENDPOINT_FILE, loadEndpointFile } from '../../src/endpointModel'
import { runMain } from '../cli/helpers'
import { startStandIn } from '../../src/standIn/standIn'
import type { StandIn } from '../../src/standIn/standIn'
import type { Studio } from '../../src/studio/server'
import { call, EXAMPLE_ENDPOINT, ROOT, startTestStudio, viewedProduct } from './helpers'

const EVENTS = join(ROOT, 'examples', 'events')
const exampleEndpoint = () => JSON.parse(readFileSync(EXAMPLE_ENDPOINT, 'utf8'))

/** The example mappings with "Product Viewed" also taking the older "Viewed Product" name. */
function fixedEndpoint() {
  const endpoint = exampleEndpoint()
  const mapping = endpoint.mappings.find((m: { name: string }) => m.name === 'Product Viewed')
  mapping.match = '.type == "track" and (.event == "Product Viewed" or .event == "Viewed Product")'
  return endpoint
}

const SETTINGS_ENV = ['MOVABLE_INK_URL', 'MOVABLE_INK_USERNAME', 'MOVABLE_INK_ACCESS_SECRET']
const savedEnv = SETTINGS_ENV.map((name) => process.env[name])
beforeAll(() => SETTINGS_ENV.forEach((name) => delete process.env[name]))
afterAll(() => SETTINGS_ENV.forEach((name, i) => (process.env[name] = savedEnv[i])))

describe('events: files, paste and drop', () => {
  let studio: Studio
  beforeEach(async () => {
    studio = (await startTestStudio([join(EVENTS, '01-identify.json')])).studio
  })
  afterEach(() => studio.close())

  it('lists the files given, with type and name', async () => {
    const { status, json } = await call(studio, 'GET', '/api/state')
    expect(status).toBe(200)
    // Labelled the same however they were loaded; where they came from by file name, never a folder path
    // (the sample file, where its expectation would be, is named apart).
    expect(json.events).toEqual([
      { id: 1, label: 'identify', where: '01-identify.json:1', sample: join(EVENTS, '01-identify.json') }
    ])
    // A first mapping for it, which /api/check accepts as it is (the page adds it with one button).
    const detail = await call(studio, 'POST', '/api/detail', { body: { id: 1, endpoint: json.endpoint } })
    expect(detail.json.newMapping).toMatchObject({ name: 'identify', match: '.type == "identify"', active: true })
    const endpoint = { ...json.endpoint, mappings: [detail.json.newMapping] }
    const check = await call(studio, 'POST', '/api/check', { body: { endpoint } })
    expect(check.status).toBe(200)
    expect(check.json.items[0].results[0].movableInk).toMatchObject({
      mapping: { name: 'identify' },
      problems: []
    })
    expect(json.configured).toEqual({ configured: false, problem: expect.stringMatching(/MOVABLE_INK_URL/) })
    expect(json.endpoint.mappings.length).toBeGreaterThan(0)
  })

  it.each([
    ['one event', JSON.stringify(viewedProduct()), 1],
    ['an array', JSON.stringify([viewedProduct(), { type: 'identify', userId: 'u' }]), 2],
    ['JSON Lines', `${JSON.stringify(viewedProduct())}\n\n${JSON.stringify({ type: 'page', name: 'Home' })}\n`, 2],
    [
      "Segment debugger's Raw view, two copied one after the other",
      `${JSON.stringify(viewedProduct(), null, 2)}\n${JSON.stringify({ type: 'group', groupId: 'g' }, null, 2)}`,
      2
    ]
  ])('takes %s', async (_what, text, count) => {
    const { status, json } = await call(studio, 'POST', '/api/events', { body: { text } })
    expect(status).toBe(201)
    expect(json.added).toHaveLength(count)
    expect(json.added[0]).toMatchObject({ id: 2, where: 'paste 1:1', label: expect.stringMatching(/^track|^identify/) })
    expect((await call(studio, 'GET', '/api/state')).json.events).toHaveLength(1 + count)
  })

  it('names a dropped file as its source', async () => {
    const { json } = await call(studio, 'POST', '/api/events', {
      body: { text: JSON.stringify(viewedProduct()), name: 'shop.json' }
    })
    expect(json.added[0].where).toBe('shop.json:1')
  })

  it('reads a dropped gzip file sent as its bytes, and names a UTF-16 one instead of adding U+FFFD events', async () => {
    const lines = `${JSON.stringify(viewedProduct())}\n${JSON.stringify({ type: 'page', name: 'Home' })}\n`
    const gzipped = await call(studio, 'POST', '/api/events', {
      body: { base64: gzipSync(lines).toString('base64'), name: 'export.gz' }
    })
    expect(gzipped.status).toBe(201)
    expect(gzipped.json.added.map((e: { where: string }) => e.where)).toEqual(['export.gz:1', 'export.gz:2'])
    const utf16 = await call(studio, 'POST', '/api/events', {
      body: { base64: Buffer.from(lines, 'utf16le').toString('base64'), name: 'export.jsonl' }
    })
    expect(utf16.status).toBe(400)
    expect(utf16.json.error).toMatch(/export\.jsonl is not JSON text in UTF-8: it is UTF-16/)
  })

  it.each([
    ['text that is not JSON', '{"type": "track", oops', 400, /not JSON.*paste one event/],
    ['an empty paste', '   ', 400, /empty/],
    ['an empty array', '[]', 400, /array is empty/],
    [
      'a JSON value that is not an event',
      '42',
      400,
      /No event in paste 1: line 1 is not an event: expected a JSON object/
    ]
  ])('refuses %s with a message naming the problem', async (_what, text, status, message) => {
    const answer = await call(studio, 'POST', '/api/events', { body: { text } })
    expect(answer.status).toBe(status)
    expect(answer.json.error).toMatch(message)
    expect((await call(studio, 'GET', '/api/state')).json.events).toHaveLength(1)
  })

  it('refuses a paste over the 5 MB cap with 413, and the studio goes on', async () => {
    const big = JSON.stringify({ type: 'track', event: 'Big', properties: { blob: 'x'.repeat(5 * 1024 * 1024) } })
    const answer = await call(studio, 'POST', '/api/events', { body: { text: big } })
    expect(answer.status).toBe(413)
    expect(answer.json.error).toMatch(/^The paste is 5\.0 MB, over the studio's limit of 5 MB a paste\./)
    expect((await call(studio, 'GET', '/api/state')).status).toBe(200)
  })

  it('answers a request body over the cap with 413, not a reset connection', async () => {
    const answer = await call(studio, 'POST', '/api/events', { raw: 'x'.repeat(7 * 1024 * 1024) })
    expect(answer.status).toBe(413)
    expect(answer.json.error).toMatch(
      /^The request is 7 MB, over the studio's limit of 6 MB a request: pastes and dropped files may be up to 5 MB\./
    )
    expect(answer.json.error).not.toMatch(/\d{4,} bytes/)
  })

  it('keeps an event that is not valid JSON next to good ones, marked malformed', async () => {
    const text = `${JSON.stringify(viewedProduct())}\n{"type": broken}`
    const { status, json } = await call(studio, 'POST', '/api/events', { body: { text } })
    expect(status).toBe(201)
    expect(json.added[1]).toMatchObject({ where: 'paste 1:2', malformed: expect.stringMatching(/not valid JSON/) })
  })

  it('lists an event nested 6,000 levels deep as refused, next to its neighbours, and goes on answering', async () => {
    const deep = JSON.stringify(viewedProduct()).replace(
      '"properties":{',
      `"properties":{"x":${'['.repeat(6000)}${']'.repeat(6000)},`
    )
    const reason = /^nested 6002 levels deep; Movable Ink's mappings and Segment's pipeline cannot use it/
    const identify = { type: 'identify', userId: 'u', timestamp: new Date().toISOString() }
    const alone = await call(studio, 'POST', '/api/events', { body: { text: deep } })
    expect(alone.status).toBe(201)
    expect(alone.json.added).toEqual([
      { id: 2, where: 'paste 1:1', label: 'refused', refused: 'too deep', malformed: expect.stringMatching(reason) }
    ])
    const array = await call(studio, 'POST', '/api/events', {
      body: { text: `[${JSON.stringify(viewedProduct())}, ${deep}, ${JSON.stringify(identify)}]` }
    })
    expect(array.status).toBe(201)
    expect(array.json.added.map((e: { label: string; refused?: string }) => e.refused ?? e.label)).toEqual([
      'track "Viewed Product"',
      'too deep',
      'identify'
    ])
    const state = await call(studio, 'GET', '/api/state')
    expect(state.status).toBe(200)
    expect(state.json.events).toHaveLength(5)
    const check = await call(studio, 'POST', '/api/check', { body: { endpoint: exampleEndpoint() } })
    expect(check.status).toBe(200)
    const verdicts = check.json.items.map((i: { id: number; verdict: { status: string } }) => [i.id, i.verdict.status])
    expect(verdicts).toEqual([
      [1, expect.stringMatching(/^mapped/)],
      [2, 'refused'],
      [3, 'unmapped'],
      [4, 'refused'],
      [5, expect.stringMatching(/^mapped/)]
    ])
    expect(check.json.items[1].verdict.why.join('; ')).toMatch(reason)
    const send = await call(studio, 'POST', '/api/send', {
      body: { id: 2, target: 'stand-in', confirm: true, endpoint: exampleEndpoint() }
    })
    expect(send.status).toBe(400)
    expect(send.json.error).toMatch(/^Event 2 cannot be sent: it is nested 6002 levels deep/)
    expect((await call(studio, 'GET', '/api/state')).status).toBe(200)
  })

  it('warns about an integer beyond 2^53 in a paste, on the event and in its check, read from the pasted text', async () => {
    const text = JSON.stringify(viewedProduct()).replace(
      '"properties":{',
      '"properties":{"order_id":12345678901234567890,'
    )
    // In an array too: its elements are checked as pasted, never re-serialized.
    for (const pasted of [text, `[${text}]`]) {
      const { status, json } = await call(studio, 'POST', '/api/events', { body: { text: pasted } })
      expect(status).toBe(201)
      const detail = await call(studio, 'POST', '/api/detail', {
        body: { endpoint: exampleEndpoint(), id: json.added[0].id }
      })
      expect(detail.json.results[0].warnings).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^properties\.order_id is 12345678901234567890, beyond 2\^53, .* read as 12345678901234567000, .* Have the source send it as a string \("12345678901234567890"\)/
          )
        ])
      )
    }
    const check = await call(studio, 'POST', '/api/check', { body: { endpoint: exampleEndpoint() } })
    expect(check.json.items[1].results[0].warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/^properties\.order_id is 12345678901234567890, beyond 2\^53/)])
    )
    const first = await call(studio, 'POST', '/api/detail', { body: { endpoint: exampleEndpoint(), id: 1 } })
    expect(first.json.results[0].warnings.filter((w: string) => /2\^53/.test(w))).toEqual([])
  })

  it('refuses a body that is not JSON, or a paste that is not text', async () => {
    expect((await call(studio, 'POST', '/api/events', { raw: '{nope' })).json.error).toMatch(/request body is not JSON/)
    const answer = await call(studio, 'POST', '/api/events', { body: { text: 5 } })
    expect(answer.status).toBe(400)
    expect(answer.json.error).toBe('"text" must be a string.')
  })

  it('removes an event, and says so when there is none', async () => {
    expect((await call(studio, 'DELETE', '/api/events/1')).status).toBe(200)
    expect((await call(studio, 'GET', '/api/state')).json.events).toEqual([])
    const again = await call(studio, 'DELETE', '/api/events/1')
    expect(again.status).toBe(404)
    expect(again.json.error).toMatch(/no event 1/)
  })

  it('answers unknown paths and methods with 404 and 405', async () => {
    expect((await call(studio, 'GET', '/api/nothing')).status).toBe(404)
    const wrong = await call(studio, 'GET', '/api/check')
    expect(wrong.status).toBe(405)
    expect(wrong.json.error).toMatch(/use POST/)
  })
})

describe('checks: what preview --json says', () => {
  let studio: Studio
  let endpointFile: string
  beforeAll(async () => {
    ;({ studio, endpointFile } = await startTestStudio([
      join(EVENTS, '04-product-viewed.json'),
      join(EVENTS, '09-group.json')
    ]))
  })
  afterAll(() => studio.close())

  it('gives each event exactly the item preview --json prints', async () => {
    const { status, json } = await call(studio, 'POST', '/api/check', { body: { endpoint: exampleEndpoint() } })
    expect(status).toBe(200)
    const preview = await runMain([
      'preview',
      join(EVENTS, '04-product-viewed.json'),
      join(EVENTS, '09-group.json'),
      '--json'
    ])
    const printed = JSON.parse(preview.stdout)
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    expect(json.items.map(({ id, verdict, ...item }: { id: number; verdict: unknown }) => item)).toEqual(printed)
    expect(json.summary).toMatchObject({ events: 2, mapped: 1, unmapped: 1 })
    // The page shows the server's verdict: it never works one out itself.
    // The example is older than 30 days: Movable Ink may refuse it, so it is mapped with a warning, not green.
    expect(json.items.map((item: { verdict: { status: string; mapping: string } }) => item.verdict)).toEqual([
      expect.objectContaining({
        status: 'mapped, with warnings',
        mapping: 'Product Viewed',
        warnings: [expect.stringMatching(/days old, and Movable Ink only keeps event data for 30 days/)]
      }),
      expect.objectContaining({ status: 'unmapped', mapping: '' })
    ])
    const auth = printed[0].results[0].request.headers.find(
      ([name]: string[]) => name.toLowerCase() === 'authorization'
    )
    expect(auth[1]).toBe('Basic [redacted]')
  })

  it('re-checks with the mappings as edited, without saving them', async () => {
    await call(studio, 'POST', '/api/events', { body: { text: JSON.stringify(viewedProduct()) } })
    const before = await call(studio, 'POST', '/api/check', { body: { endpoint: exampleEndpoint() } })
    const pasted = before.json.items[2].results[0].movableInk
    expect(pasted.mapping).toBeUndefined()
    expect(pasted.problems[0].kind).toBe('unmapped')
    const after = await call(studio, 'POST', '/api/check', { body: { endpoint: fixedEndpoint() } })
    const fixed = after.json.items[2].results[0].movableInk
    expect(fixed.mapping.name).toBe('Product Viewed')
    expect(fixed.fields.find((f: { name: string }) => f.name === 'ID').value).toBe('sku-42')
    expect(readFileSync(endpointFile, 'utf8')).toBe(readFileSync(EXAMPLE_ENDPOINT, 'utf8'))
  })

  it('answers invalid jq with 422 and each problem where it is', async () => {
    const endpoint = exampleEndpoint()
    endpoint.mappings[0].match = '.type =='
    endpoint.mappings[1].fields[0].path = '.properties | ]'
    const { status, json } = await call(studio, 'POST', '/api/check', { body: { endpoint } })
    expect(status).toBe(422)
    expect(json.error).toMatch(/2 problems/)
    expect(json.problems).toEqual([
      expect.objectContaining({
        where: 'mappings[0].match',
        mapping: 0,
        property: 'match',
        message: expect.stringMatching(/not valid jq/)
      }),
      expect.objectContaining({ where: 'mappings[1].fields[0].path', mapping: 1, field: 0, property: 'path' })
    ])
  })

  it('answers a wrong shape with 422, and a missing endpoint with 400', async () => {
    const bad = await call(studio, 'POST', '/api/check', { body: { endpoint: { mappings: 'none' } } })
    expect(bad.status).toBe(422)
    expect(bad.json.problems.map((p: { where: string }) => p.where)).toEqual(['endpointKey', 'mappings'])
    const missing = await call(studio, 'POST', '/api/check', { body: {} })
    expect(missing.status).toBe(400)
    expect(missing.json.error).toMatch(/"endpoint" is missing/)
  })
})

describe('saving the event mappings', () => {
  let studio: Studio
  let endpointFile: string
  beforeAll(async () => {
    ;({ studio, endpointFile } = await startTestStudio())
  })
  afterAll(() => studio.close())

  it('writes valid mappings to the endpoint file', async () => {
    const { version } = (await call(studio, 'GET', '/api/state')).json
    const body = { endpoint: fixedEndpoint(), version }
    const { status, json } = await call(studio, 'PUT', '/api/endpoint', { body })
    expect(status).toBe(200)
    expect(json.saved).toBe(endpointFile)
    expect(JSON.parse(readFileSync(endpointFile, 'utf8'))).toEqual(fixedEndpoint())
    expect((await call(studio, 'GET', '/api/state')).json.endpoint).toEqual(fixedEndpoint())
  })

  it('refuses to save invalid mappings and leaves the file alone', async () => {
    const before = readFileSync(endpointFile, 'utf8')
    const endpoint = fixedEndpoint()
    endpoint.mappings[0].fields[0].path = '.a | ]'
    const { status, json } = await call(studio, 'PUT', '/api/endpoint', { body: { endpoint, overwrite: true } })
    expect(status).toBe(422)
    expect(json.problems[0].where).toBe('mappings[0].fields[0].path')
    expect(readFileSync(endpointFile, 'utf8')).toBe(before)
  })
})

describe('sending a test event', () => {
  const SECRET = 'studio-test-secret-value'
  let standIn: StandIn
  let studio: Studio
  let configured: Studio
  beforeAll(async () => {
    standIn = await startStandIn({
      username: 'key-id',
      password: SECRET,
      record: false,
      endpoint: await loadEndpointFile(DEFAULT_ENDPOINT_FILE)
    })
    studio = (await startTestStudio()).studio
    configured = (await startTestStudio([], { url: standIn.url, username: 'key-id', password: SECRET })).studio
    for (const s of [studio, configured])
      await call(s, 'POST', '/api/events', {
        body: { text: JSON.stringify([viewedProduct(), { ...viewedProduct(), event: 'Product Viewed' }]) }
      })
  })
  afterAll(async () => {
    await studio.close()
    await configured.close()
    await standIn.close()
  })

  it('sends nothing without confirm: true', async () => {
    const answer = await call(studio, 'POST', '/api/send', {
      body: { id: 1, target: 'stand-in', endpoint: fixedEndpoint() }
    })
    expect(answer.status).toBe(400)
    expect(answer.json.error).toMatch(/confirm/)
  })

  it("sends to the embedded stand-in with the page's mappings and shows its 200, message and request id", async () => {
    const body = { id: 1, target: 'stand-in', confirm: true, endpoint: fixedEndpoint() }
    const { status, json } = await call(studio, 'POST', '/api/send', { body })
    expect(status).toBe(200)
    expect(json).toMatchObject({ target: 'stand-in', ok: true, status: 200, message: 'ok' })
    expect(json.requestId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it("shows the stand-in's refusal of an event no mapping takes, with Movable Ink's message", async () => {
    const body = { id: 1, target: 'stand-in', confirm: true, endpoint: exampleEndpoint() }
    const { status, json } = await call(studio, 'POST', '/api/send', { body })
    expect(status).toBe(200)
    expect(json).toMatchObject({ ok: false, status: 400, requestId: expect.any(String) })
    expect(json.message).toMatch(/No active event mapping matches this event/)
  })

  it('sends to the configured URL without ever showing it or the secret', async () => {
    const state = await call(configured, 'GET', '/api/state')
    expect(state.json.configured).toEqual({ configured: true })
    const body = { id: 2, target: 'configured', confirm: true, endpoint: exampleEndpoint() }
    const answer = await call(configured, 'POST', '/api/send', { body })
    expect(answer.json).toMatchObject({
      target: 'configured',
      ok: true,
      status: 200,
      url: 'the configured Movable Ink URL'
    })
    expect(standIn.stats.events).toBe(1)
    const check = await call(configured, 'POST', '/api/check', { body: { endpoint: exampleEndpoint() } })
    for (const text of [state.text, answer.text, check.text]) {
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain(String(standIn.port))
    }
  })

  it('sends an old event as if it happened now when asked, since Movable Ink refuses events over 30 days old', async () => {
    await call(studio, 'POST', '/api/events', {
      body: { text: readFileSync(join(EVENTS, '04-product-viewed.json'), 'utf8') }
    })
    const [old] = (await call(studio, 'GET', '/api/state')).json.events.slice(-1)
    const body = { id: old.id, target: 'stand-in', confirm: true, endpoint: exampleEndpoint() }
    const asIs = await call(studio, 'POST', '/api/send', { body })
    expect(asIs.json).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/older than 30 days/) })
    expect(asIs.json).toMatchObject({ outcome: 'refused by Movable Ink', sent: true })
    const now = await call(studio, 'POST', '/api/send', { body: { ...body, restamp: true } })
    expect(now.json).toMatchObject({ ok: true, status: 200, outcome: 'delivered' })
    const detail = await call(studio, 'POST', '/api/detail', { body: { id: old.id, endpoint: exampleEndpoint() } })
    expect(detail.json.event.timestamp).toBe('2025-01-15T10:02:00.000Z')
  })

  it('keeps the configured address out of a network failure', async () => {
    const closed = await startStandIn({ username: 'k', password: SECRET, record: false })
    const url = closed.url
    await closed.close()
    const down = (await startTestStudio([], { url, username: 'key-id', password: SECRET })).studio
    try {
      await call(down, 'POST', '/api/events', { body: { text: JSON.stringify(viewedProduct()) } })
      const answer = await call(down, 'POST', '/api/send', {
        body: { id: 1, target: 'configured', confirm: true, endpoint: exampleEndpoint() }
      })
      expect(answer.json).toMatchObject({ ok: false, message: expect.stringMatching(/ECONNREFUSED|reach/) })
      expect(answer.text).not.toContain(String(closed.port))
      expect(answer.text).not.toContain(SECRET)
    } finally {
      await down.close()
    }
  })

  it('says what is missing when no URL is configured, and refuses unknown events', async () => {
    const none = await call(studio, 'POST', '/api/send', {
      body: { id: 1, target: 'configured', confirm: true, endpoint: {} }
    })
    expect(none.status).toBe(400)
    expect(none.json.error).toMatch(/pass --url or set MOVABLE_INK_URL/)
    const unknown = await call(studio, 'POST', '/api/send', {
      body: { id: 99, target: 'stand-in', confirm: true, endpoint: {} }
    })
    expect(unknown.status).toBe(404)
  })
})

describe('export', () => {
  let studio: Studio
  beforeAll(async () => {
    studio = (await startTestStudio([join(EVENTS, '04-product-viewed.json'), join(EVENTS, '09-group.json')])).studio
  })
  afterAll(() => studio.close())

  it('gives a self-contained HTML report: summary, why unmapped, request redacted, no script', async () => {
    const { status, headers, text } = await call(studio, 'POST', '/api/export', {
      body: { endpoint: exampleEndpoint(), format: 'html' }
    })
    expect(status).toBe(200)
    expect(headers['content-type']).toMatch(/text\/html/)
    expect(headers['content-disposition']).toMatch(/movable-ink-check.html/)
    expect(text).toMatch(/1 of 2 events that would be sent match(es)? a Movable Ink event mapping/)
    expect(text).toContain('<span class="badge bad">✗ unmapped</span>')
    expect(text).toContain('add an event mapping whose match criterion is .type == &quot;group&quot;')
    expect(text).toContain('authorization: Basic [redacted]')
    expect(text).not.toMatch(/<script|<link|src=/)
  })

  it('gives Markdown too, and refuses other formats', async () => {
    const md = await call(studio, 'POST', '/api/export', { body: { endpoint: exampleEndpoint(), format: 'md' } })
    expect(md.text).toMatch(/^# Movable Ink check/)
    // When, from which endpoint file (by name) and which inputs, with their counts.
    expect(md.text).toMatch(
      /\nMade \d{4}-\d\d-\d\dT[\d:.]+Z by movable-ink studio\. The event mappings of endpoint\.json, as edited in the studio\. Events from: 04-product-viewed\.json \(1 event\), 09-group\.json \(1 event\)\.\n/
    )
    expect(md.text).toContain(
      '| track "Product Viewed" | 04-product-viewed.json:1 | mapped, with warnings | Product Viewed |'
    )
    // Events with no expected file yet: the suite's section says so, and how to make one.
    expect(md.text).toContain(
      '0 match expected, 0 differ from expected, 2 without expectation.\n\nNo event has an expected result yet: save them as expected in the studio, or run movable-ink test --update.'
    )
    const pdf = await call(studio, 'POST', '/api/export', { body: { endpoint: exampleEndpoint(), format: 'pdf' } })
    expect(pdf.status).toBe(400)
    expect(pdf.json.error).toMatch(/"html" or "md"/)
  })

  it('offers the decision for an unmapped event, then shows it as a neutral status, listed apart in the report', async () => {
    const endpoint = exampleEndpoint()
    const before = await call(studio, 'POST', '/api/detail', { body: { id: 2, endpoint } })
    expect(before.json.verdict.status).toBe('unmapped')
    expect(before.json.newDecision).toEqual({ match: '.type == "group"', reason: 'not used in Movable Ink campaigns' })
    const mapped = await call(studio, 'POST', '/api/detail', { body: { id: 1, endpoint } })
    expect(mapped.json.newDecision).toBeUndefined()

    endpoint.notForMovableInk = [{ ...before.json.newDecision, reason: 'accounts are not personalised' }]
    const verdicts = await call(studio, 'POST', '/api/verdicts', { body: { endpoint } })
    expect(verdicts.json.rows.map((r: { status: string }) => r.status)).toEqual([
      'mapped, with warnings',
      'not for Movable Ink'
    ])
    expect(verdicts.json.summary.line).toContain(
      '1 of 2 events that would be sent matches a Movable Ink event mapping; 1 not for Movable Ink (on purpose).'
    )
    const after = await call(studio, 'POST', '/api/detail', { body: { id: 2, endpoint } })
    expect(after.json.newDecision).toBeUndefined()
    expect(after.json.verdict.why).toEqual([expect.stringMatching(/on purpose .*: accounts are not personalised$/)])

    const md = (await call(studio, 'POST', '/api/export', { body: { endpoint, format: 'md' } })).text
    const summary = md.slice(md.indexOf('## Summary'), md.indexOf('## Not for Movable Ink'))
    expect(summary).not.toContain('group')
    expect(md).toContain(
      '## Not for Movable Ink (left unmapped on purpose)\n\nThe endpoint file marks these events as not for Movable Ink'
    )
    expect(md).toContain('| group | 09-group.json:1 | match .type == "group" | accounts are not personalised |')
    expect(md).not.toContain('### group')
    const html = (await call(studio, 'POST', '/api/export', { body: { endpoint, format: 'html' } })).text
    expect(html).toContain('<span class="badge decided">⊘ not for Movable Ink</span> 1')
  })

  it('escapes in Markdown what a renderer would run: HTML, links, code spans that end early', async () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    const pasted = await call(studio, 'POST', '/api/events', {
      body: {
        text: JSON.stringify({
          ...viewedProduct(),
          event: hostile,
          properties: { product_id: '[click](javascript:alert(3))', url: '<javascript:alert(4)>' }
        })
      }
    })
    expect(pasted.status).toBe(201)
    const endpoint = exampleEndpoint()
    const match = '.messageId == "studio-test-0001" and (.event | test("``") | not)'
    endpoint.mappings.unshift({
      name: '<b onmouseover=alert(5)>x</b>',
      schema: 'Product',
      match,
      fields: [
        { name: 'ID', path: '.properties.product_id', type: 'string', required: true },
        { name: 'URL', path: '.properties.url', type: 'string', required: false }
      ]
    })
    const md = (await call(studio, 'POST', '/api/export', { body: { endpoint, format: 'md' } })).text
    expect(md).toContain('"\\[click\\](javascript:alert(3))"')
    expect(md).not.toMatch(/<script|<img|<b |<javascript|[^\\]\]\(javascript/)
    expect(md).toContain('track "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"')
    // A jq expression keeps its text in a code span whose fence no backtick inside can close.
    expect(md).toContain(`Match criterion (jq): \`\`\`${match}\`\`\``)
    expect((await call(studio, 'DELETE', `/api/events/${pasted.json.added[0].id}`)).status).toBe(200)
  })
})
