import { existsSync, readFileSync } from 'fs'
import { join } from 'path'
import type { Studio } from '../../src/studio/server'
import { call, EXAMPLE_ENDPOINT, ROOT, startTestStudio, viewedProduct } from './helpers'

/** The routes the workbench page uses per edit and per selection, and the studio's own warnings and hints. */

const EVENTS = join(ROOT, 'examples', 'events')
const exampleEndpoint = () => JSON.parse(readFileSync(EXAMPLE_ENDPOINT, 'utf8'))
const recent = (event: Record<string, unknown>) => ({ ...event, timestamp: new Date().toISOString() })

let studio: Studio
beforeAll(async () => {
  studio = (await startTestStudio([join(EVENTS, '06-order-completed.json')])).studio
  const twins = [recent(viewedProduct()), recent(viewedProduct())]
  await call(studio, 'POST', '/api/events', { body: { text: JSON.stringify(twins) } })
})
afterAll(() => studio.close())

const verdicts = (endpoint: unknown) => call(studio, 'POST', '/api/verdicts', { body: { endpoint } })
const detail = (id: number, endpoint: unknown = exampleEndpoint()) =>
  call(studio, 'POST', '/api/detail', { body: { id, endpoint } })

describe('POST /api/verdicts: what the page redraws after an edit', () => {
  it('gives each event its status, mapping index and reasons, every text once, alike events in one group', async () => {
    const { status, json, text } = await verdicts(exampleEndpoint())
    expect(status).toBe(200)
    expect(json.rows).toEqual([
      { id: 1, status: 'mapped, with warnings', mappingIndex: 6, why: [], warnings: [0], group: 1 },
      { id: 2, status: 'unmapped', mappingIndex: null, why: [1], warnings: [], group: 2 },
      { id: 3, status: 'unmapped', mappingIndex: null, why: [1], warnings: [], group: 2 }
    ])
    expect(json.texts[0]).toMatch(/days old/)
    expect(json.texts[1]).toMatch(/No active event mapping matches this event/)
    expect(json.summary).toMatchObject({ events: 3, mapped: 1, unmapped: 2 })
    expect(text).not.toContain('"request"')
  })

  it("keeps each event's Segment side between checks: an edit runs only the Movable Ink side again", async () => {
    await verdicts(exampleEndpoint())
    const sides = studio.workbench.events.list().map((e) => e.side)
    const edited = exampleEndpoint()
    edited.mappings[1].match = '.type == "track" and (.event == "Product Viewed" or .event == "Viewed Product")'
    const { json } = await verdicts(edited)
    expect(json.rows[1]).toMatchObject({ status: 'mapped', mappingIndex: 1 })
    expect(studio.workbench.events.list().map((e) => e.side)).toEqual(sides)
    studio.workbench.events.list().forEach((e, i) => expect(e.side).toBe(sides[i]))
  })

  it('evaluates again only the events a changed mapping takes, with the same answer as evaluating all', async () => {
    const base = exampleEndpoint()
    base.mappings[1].match = '.type == "track" and (.event == "Product Viewed" or .event == "Viewed Product")'
    await verdicts(base)
    expect(studio.workbench.evaluations.lastEvaluated).toBe(3)
    const edited = JSON.parse(JSON.stringify(base))
    edited.mappings[1].fields[0].path = '.properties.sku // .properties.product_id'
    const partial = await verdicts(edited)
    expect(studio.workbench.evaluations.lastEvaluated).toBe(2) // the two Viewed Product events, not the order
    const other = JSON.parse(JSON.stringify(edited))
    other.mappings[5].fields[0].path = '.properties.query // ""' // a mapping that takes none of them
    await verdicts(other)
    expect(studio.workbench.evaluations.lastEvaluated).toBe(0)
    const fresh = (await startTestStudio([join(EVENTS, '06-order-completed.json')])).studio
    try {
      await call(fresh, 'POST', '/api/events', {
        body: {
          text: JSON.stringify(
            studio.workbench.events
              .list()
              .slice(1)
              .map((e) => (e.item as { event: unknown }).event)
          )
        }
      })
      const full = await call(fresh, 'POST', '/api/check', { body: { endpoint: edited } })
      const mine = await call(studio, 'POST', '/api/check', { body: { endpoint: edited } })
      expect(mine.json).toEqual(full.json)
      expect(partial.json.rows.map((r: { status: string }) => r.status)).toEqual(
        full.json.items.map((i: { verdict: { status: string } }) => i.verdict.status)
      )
    } finally {
      await fresh.close()
    }
  })

  it('answers mistakes with 422, numbered as the page numbers mappings and fields, with hints for common slips', async () => {
    const endpoint = exampleEndpoint()
    endpoint.mappings[0].match = '.type = "identify" and'
    endpoint.mappings[1].match = '.type == "track" |'
    endpoint.mappings[8].fields[0].path = '.properties | ]'
    const { status, json } = await verdicts(endpoint)
    expect(status).toBe(422)
    expect(json.error).not.toMatch(/mappings\[/)
    expect(json.problems).toEqual([
      expect.objectContaining({
        mapping: 0,
        shownWhere: 'mapping 1 (match) "Identify"',
        hint: expect.stringMatching(/==/)
      }),
      expect.objectContaining({
        mapping: 1,
        shownWhere: 'mapping 2 (match) "Product Viewed"',
        hint: expect.stringMatching(/ends with "\|"/)
      }),
      expect.objectContaining({ mapping: 8, field: 0, shownWhere: 'mapping 9, field 1 (path) "Page Viewed"' })
    ])
  })

  it('refuses a body without the mappings', async () => {
    const answer = await call(studio, 'POST', '/api/verdicts', { body: {} })
    expect(answer.status).toBe(400)
    expect(answer.json.error).toMatch(/"endpoint" is missing/)
  })

  it("answers an edit in one call: the verdicts and the selected event's detail, as /api/detail gives it", async () => {
    const edited = exampleEndpoint()
    edited.mappings[1].match = '.type == "track" and (.event == "Product Viewed" or .event == "Viewed Product")'
    const one = await call(studio, 'POST', '/api/verdicts', { body: { endpoint: edited, id: 2 } })
    expect(one.status).toBe(200)
    expect(one.json.rows[1]).toMatchObject({ id: 2, status: 'mapped', mappingIndex: 1 })
    expect(one.json.detail).toMatchObject({ id: 2, verdict: { status: 'mapped', mapping: 'Product Viewed' } })
    expect(one.json.detail).toEqual((await detail(2, edited)).json)
    // No id, or one no longer in the studio: the verdicts alone; a wrong id is refused like /api/detail's.
    expect((await verdicts(edited)).json.detail).toBeNull()
    expect((await call(studio, 'POST', '/api/verdicts', { body: { endpoint: edited, id: 99 } })).json.detail).toBeNull()
    const wrong = await call(studio, 'POST', '/api/verdicts', { body: { endpoint: edited, id: '2' } })
    expect(wrong.status).toBe(400)
    expect(wrong.json.error).toMatch(/"id" must be the number of an event/)
  })
})

describe('POST /api/detail: the selected event', () => {
  it('gives the whole check of one event, what Movable Ink receives, and a first mapping for it', async () => {
    const { status, json } = await detail(2)
    expect(status).toBe(200)
    expect(json).toMatchObject({ id: 2, label: 'track "Viewed Product"', verdict: { status: 'unmapped' } })
    expect(json.results[0].request.headers).toContainEqual(['authorization', 'Basic [redacted]'])
    expect(json.received).toMatchObject({ event: 'Viewed Product', properties: { product_id: 'sku-42' } })
    expect(json.newMapping.match).toBe('.type == "track" and .event == "Viewed Product"')
  })

  it('refuses an unknown event with 404 and a missing id with 400', async () => {
    expect((await detail(99)).status).toBe(404)
    const missing = await call(studio, 'POST', '/api/detail', { body: { endpoint: exampleEndpoint() } })
    expect(missing.status).toBe(400)
  })
})

describe("the studio's warnings and hints", () => {
  let local: Studio
  beforeAll(async () => {
    local = (await startTestStudio()).studio
    const events = [
      { ...recent(viewedProduct()), event: 'product viewed' },
      { ...recent(viewedProduct()), event: 'Product Viewed', userId: 'jane.doe@example.com' },
      { ...recent(viewedProduct()), event: 'Product Added', userId: '+1 415 555 0100' },
      { type: 'identify', userId: 'u-1', timestamp: new Date().toISOString() }
    ]
    await call(local, 'POST', '/api/events', { body: { text: JSON.stringify(events) } })
  })
  afterAll(() => local.close())

  const check = async (endpoint: unknown) => {
    const { json } = await call(local, 'POST', '/api/verdicts', { body: { endpoint } })
    return {
      ...json,
      why: (r: number) => json.rows[r].why.map((t: number) => json.texts[t]).join('; '),
      warned: (r: number) => json.rows[r].warnings.map((w: number) => json.texts[w])
    }
  }

  it('names a near miss by case or spacing, and a user id that looks like an e-mail address or a phone number', async () => {
    const c = await check(exampleEndpoint())
    expect(c.rows[0].status).toBe('unmapped')
    expect(c.why(0)).toMatch(/Mapping 2 "Product Viewed" expects "Product Viewed", and this event is "product viewed"/)
    expect(c.rows[1].status).toBe('mapped, with warnings')
    expect(c.warned(1)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/userId looks like an e-mail address: Movable Ink asks for a stable id such as a UUID/)
      ])
    )
    expect(c.warned(2)).toContainEqual(expect.stringMatching(/looks like a phone number/))
  })

  it('offers a path for an identify without anonymousId (a server-side user)', async () => {
    const { json } = await call(local, 'POST', '/api/detail', { body: { id: 4, endpoint: exampleEndpoint() } })
    expect(json.verdict.status).toBe('mapped, with problems')
    expect(json.notes.fieldHints).toEqual([
      expect.objectContaining({ field: 'AnonymousId', path: '.anonymousId // .userId' })
    ])
  })

  it('warns about a match criterion that gives something other than true or false, and about an unknown schema', async () => {
    const endpoint = exampleEndpoint()
    endpoint.mappings[1].match = '.event'
    endpoint.mappings[1].schema = 'Prodcut'
    const c = await check(endpoint)
    // ".event" is a string on every track event: each counts as a match, for Movable Ink too.
    expect(c.rows[0]).toMatchObject({ status: 'mapped, with warnings', mappingIndex: 1 })
    expect(c.warned(0)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Mapping 2 "Product Viewed": its match criterion gives a string, not true or false/),
        expect.stringMatching(/schema "Prodcut", which Movable Ink does not predefine/)
      ])
    )
    expect(c.endpointWarnings).toContainEqual(
      expect.stringMatching(/^Mapping 2 "Product Viewed": schema "Prodcut" is not one of/)
    )
    expect(c.endpointWarnings.join('\n')).not.toMatch(/mappings\[/)
  })

  it('warns about "=" in a match criterion that compiles at its box, saying what jq does with it', async () => {
    const endpoint = exampleEndpoint()
    endpoint.mappings[0].match = '.type = "identify"'
    const c = await check(endpoint)
    // Beside the match box of mapping 1 (the page shows it there), not among the warnings at the top.
    expect(c.boxWarnings).toEqual([
      {
        mapping: 0,
        property: 'match',
        message: expect.stringMatching(
          /^A single "=" assigns in jq, it does not compare: .*a match for every event.* Compare with "=="\.$/
        )
      }
    ])
    expect(c.endpointWarnings.join('\n')).not.toContain('"="')
    expect(c.warned(0)).toContainEqual(expect.stringMatching(/its match criterion gives an object, not true or false/))
  })
})

describe('events, paths and saving', () => {
  let local: Studio
  let file: string
  let dir: string
  beforeEach(async () => {
    ;({ studio: local, endpointFile: file, dir } = await startTestStudio())
  })
  afterEach(() => local.close())

  it('lists the jq paths of the loaded events for autocomplete, with bracket forms for awkward keys', async () => {
    const event = { ...viewedProduct(), properties: { 'order id': 'o-1', 'a.b': 1, products: [{ product_id: 'p' }] } }
    await call(local, 'POST', '/api/events', { body: { text: JSON.stringify(event) } })
    await call(local, 'POST', '/api/verdicts', { body: { endpoint: exampleEndpoint() } })
    const { json } = await call(local, 'GET', '/api/paths')
    const paths = json.paths.map(([p]: string[]) => p)
    expect(paths).toEqual(
      expect.arrayContaining(['.properties["order id"]', '.properties["a.b"]', '.properties.products[].product_id'])
    )
    expect(json.paths).toContainEqual(['.properties["order id"]', '"o-1"'])
  })

  it('clears every event at once', async () => {
    await call(local, 'POST', '/api/events', { body: { text: JSON.stringify([viewedProduct(), viewedProduct()]) } })
    expect((await call(local, 'DELETE', '/api/events')).json).toEqual({ removed: 2 })
    expect((await call(local, 'GET', '/api/state')).json.events).toEqual([])
  })

  it('saves to the file named on the page, says where and whether it replaced one, and refuses other names', async () => {
    const target = join(dir, 'customer.json')
    const body = { endpoint: exampleEndpoint(), path: target }
    const first = await call(local, 'PUT', '/api/endpoint', { body: { ...body, version: null } })
    expect(first.json).toEqual({ saved: target, replaced: false, version: expect.any(String) })
    expect(existsSync(target)).toBe(true)
    const again = await call(local, 'PUT', '/api/endpoint', { body: { ...body, version: first.json.version } })
    expect(again.json.replaced).toBe(true)
    const bad = await call(local, 'PUT', '/api/endpoint', {
      body: { endpoint: exampleEndpoint(), path: join(dir, 'x.txt'), overwrite: true }
    })
    expect(bad.status).toBe(400)
    expect((await call(local, 'PUT', '/api/endpoint', { body: { endpoint: exampleEndpoint(), path: 5 } })).status).toBe(
      400
    )
    // Without a name, the studio's save file: the last file saved (a reload shows what was saved).
    const unnamed = { endpoint: exampleEndpoint(), version: again.json.version }
    expect((await call(local, 'PUT', '/api/endpoint', { body: unnamed })).json.saved).toBe(target)
    expect((await call(local, 'GET', '/api/state')).json.saveFile).toBe(target)
    expect(file).not.toBe(target)
  })
})

describe('test send outcomes', () => {
  let local: Studio
  beforeAll(async () => {
    local = (await startTestStudio()).studio
    const noTimestamp: Record<string, unknown> = { ...viewedProduct(), event: 'Product Viewed' }
    delete noTimestamp.timestamp
    const alias = { type: 'alias', userId: 'u-2', previousId: 'u-1', timestamp: new Date().toISOString() }
    await call(local, 'POST', '/api/events', { body: { text: JSON.stringify([noTimestamp, alias]) } })
  })
  afterAll(() => local.close())

  const send = (id: number) =>
    call(local, 'POST', '/api/send', { body: { id, target: 'stand-in', confirm: true, endpoint: exampleEndpoint() } })

  it('says the destination refused an event without a timestamp, and that nothing was sent', async () => {
    const { json } = await send(1)
    expect(json).toMatchObject({ ok: false, sent: false, outcome: 'refused by the destination', status: 0 })
    expect(json.message).toMatch(/timestamp/)
  })

  it('says an event no subscription takes (an alias) was not sent', async () => {
    const { json } = await send(2)
    expect(json).toMatchObject({ ok: false, sent: false, outcome: 'not subscribed', status: 0 })
    expect(json.message).toMatch(/^Nothing was sent/)
  })
})

describe('an Engage call in the studio', () => {
  it('names the membership key and value among the hints, and the default mappings take it', async () => {
    const engage = (await startTestStudio([join(EVENTS, '11-engage-audience-entered.json')])).studio
    try {
      const { json } = await call(engage, 'POST', '/api/detail', { body: { id: 1, endpoint: exampleEndpoint() } })
      expect(json.notes.hints).toContain(
        'Engage audience: first_time_shopper: true (properties.first_time_shopper; the key from context.personas.computation_key)'
      )
      expect(json.verdict.mapping).toBe('Engage Audience Entered/Exited')
    } finally {
      await engage.close()
    }
  })
})
