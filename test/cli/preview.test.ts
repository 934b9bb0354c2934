import { createHash } from 'crypto'
import { readFileSync, writeFileSync } from 'fs'
import { join } from 'path'
import { startStandIn } from '../../src/standIn/standIn'
import { event, runMain, tempDir } from './helpers'

const USERNAME = 'AKID-preview'
const SECRET = 'preview-secret-5e6f7a8b'
const BASIC = Buffer.from(`${USERNAME}:${SECRET}`).toString('base64')
const URL = 'https://events.movableink.example/v1/endpoints/abc123'

const dir = tempDir()
let n = 0
const file = (text: string, name = 'events.jsonl') => {
  const path = join(dir, `${n++}-${name}`)
  writeFileSync(path, text)
  return path
}
const jsonl = (events: unknown[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n'

interface PreviewJson {
  source: string
  line: number
  event?: string
  malformed?: string
  subscriptions: { name: string; matches: boolean }[]
  results: {
    mappedPayload?: { data?: Record<string, unknown> }
    request?: { method: string; url: string; headers: [string, string][]; body: string }
    size?: { bytes: number; limitBytes: number; withinLimit: boolean }
    errors: string[]
    warnings: string[]
  }[]
}

async function previewJson(
  events: unknown[],
  extra: string[] = []
): Promise<{ items: PreviewJson[]; code: number | null; stdout: string; stderr: string }> {
  const result = await runMain(
    ['preview', file(jsonl(events)), '--json', '--url', URL, '--username', USERNAME, ...extra],
    { env: { MOVABLE_INK_ACCESS_SECRET: SECRET } }
  )
  expect(result.stdout).not.toContain(SECRET)
  expect(result.stdout).not.toContain(BASIC)
  expect(result.stderr).not.toContain(SECRET)
  return { items: result.stdout.trim() ? JSON.parse(result.stdout) : [], ...result }
}

describe('movable-ink preview', () => {
  it('shows the matching subscription, the mapped payload and the exact request, with Authorization redacted', async () => {
    const good = event({ messageId: 'p1' })
    const { items, code } = await previewJson([good])
    expect(code).toBe(0)
    const [item] = items
    expect(item.event).toBe('track "Signed Up"')
    expect(item.subscriptions).toEqual([expect.objectContaining({ name: 'Send Entire Event', matches: true })])
    const [result] = item.results
    expect(result.mappedPayload).toEqual({ data: good, enable_batching: false, batch_size: 100 })
    expect(result.request?.method).toBe('POST')
    expect(result.request?.url).toBe(URL)
    const headers = Object.fromEntries(result.request?.headers.map(([k, v]) => [k.toLowerCase(), v]) ?? [])
    expect(headers).toMatchObject({
      authorization: 'Basic [redacted]',
      host: 'events.movableink.example',
      'content-type': 'application/json',
      'user-agent': 'Segment (Actions)',
      'content-length': String(Buffer.byteLength(JSON.stringify(good)))
    })
    expect(result.request?.body).toBe(JSON.stringify(good))
    expect(result.size).toEqual({
      bytes: Buffer.byteLength(JSON.stringify(good)),
      limitBytes: 2_000_000,
      percentOfLimit: expect.any(Number),
      withinLimit: true
    })
    expect(result.errors).toEqual([])
    expect(result.warnings).toEqual([])
  })

  it('shows the request the stand-in actually receives for the same event, header for header and byte for byte', async () => {
    const sample = event({ messageId: 'same', properties: { name: 'Zoë ✓', nested: { a: [1, 2.5, null] } } })
    const input = file(jsonl([sample]))
    const standIn = await startStandIn({ username: USERNAME, password: SECRET, record: join(dir, 'same.jsonl') })
    try {
      const preview = await runMain(['preview', input, '--json', '--url', standIn.url, '--username', USERNAME], {
        env: { MOVABLE_INK_ACCESS_SECRET: SECRET }
      })
      const send = await runMain(['send', input, '--url', standIn.url, '--username', USERNAME, '--no-journal'], {
        env: { MOVABLE_INK_ACCESS_SECRET: SECRET }
      })
      expect(send.code).toBe(0)
      const request = (JSON.parse(preview.stdout) as PreviewJson[])[0].results[0].request
      const got = JSON.parse(readFileSync(join(dir, 'same.jsonl'), 'utf8').trim())
      expect(request?.url).toBe(standIn.url)
      expect(Object.fromEntries(request?.headers.map(([k, v]) => [k.toLowerCase(), v]) ?? [])).toEqual(got.headers)
      expect(
        createHash('sha256')
          .update(request?.body ?? '')
          .digest('hex')
      ).toBe(got.bodySha256)
      expect(Buffer.byteLength(request?.body ?? '')).toBe(got.bytes)
    } finally {
      await standIn.close()
    }
  })

  it('reports as errors what Movable Ink would refuse: no timestamp, no identity, bad headers, too large', async () => {
    const noTimestamp = event({ timestamp: undefined })
    const noIdentity = event({ userId: undefined })
    const tooLarge = event({ properties: { blob: 'x'.repeat(2_000_000) } })
    const { items, code } = await previewJson([noTimestamp, noIdentity, tooLarge])
    expect(code).toBe(1)
    expect(items[0].results[0].errors).toEqual([expect.stringContaining('requires a "timestamp"')])
    expect(items[0].results[0].request).toBeUndefined()
    expect(items[1].results[0].errors).toEqual([expect.stringContaining('"userId" or an "anonymousId"')])
    expect(items[2].results[0].size?.withinLimit).toBe(false)
    expect(items[2].results[0].errors).toEqual([expect.stringContaining('Movable Ink refuses requests of 2 MB')])

    const mapping = file(
      JSON.stringify({ data: { '@path': '$.' }, headers: { Authorization: 'Bearer x', 'X-Bad Name': 'v' } }),
      'headers-mapping.json'
    )
    const headers = await previewJson([event()], ['--mapping', mapping])
    expect(headers.items[0].results[0].errors).toEqual([
      expect.stringContaining('Header "Authorization" cannot be set'),
      expect.stringContaining('Header name "X-Bad Name" is not allowed')
    ])
  })

  it('warns about the ecommerce requirements, retention and sensitive-looking properties, without failing', async () => {
    const events = [
      event({ event: 'Product Viewed', properties: { name: 'Shoe' } }),
      event({ event: 'Order Completed', properties: { products: [{ sku: 'A' }] } }),
      event({ timestamp: '2020-01-01T00:00:00.000Z' }),
      event({ type: 'identify', event: undefined, traits: { email: 'a@example.com', ssn: '123-45-6789' } })
    ]
    const { items, code } = await previewJson(events)
    expect(code).toBe(0)
    expect(items[0].results[0].warnings).toEqual([
      expect.stringContaining('"properties.sku" or "properties.product_id"'),
      expect.stringContaining('"properties.url"')
    ])
    expect(items[1].results[0].warnings).toEqual([
      expect.stringContaining('"properties.total"'),
      expect.stringContaining('"properties.products[0].price"')
    ])
    expect(items[2].results[0].warnings).toEqual([expect.stringContaining('only keeps event data for 30 days')])
    expect(items[3].results[0].warnings).toEqual([
      expect.stringContaining('Property "traits.ssn" looks like a social security number')
    ])
    expect(JSON.stringify(items[3].results[0].warnings)).not.toContain('123-45-6789')
  })

  it('warns about an integer beyond 2^53 in the input, read from its text, naming the field and the fix', async () => {
    // Written by hand: JSON.stringify cannot write the number that the input holds.
    const text = JSON.stringify(event({ event: 'Order Completed', messageId: 'big' })).replace(
      '"properties":{',
      '"properties":{"order_id":12345678901234567890,"products":[{"sku":"a","price":1,"quantity":98765432109876543210}],'
    )
    const path = file(text + '\n')
    const json = await runMain(['preview', path, '--json'])
    expect(json.code).toBe(0)
    const [item] = JSON.parse(json.stdout)
    const warning = (field: string, written: string, read: string) =>
      `${field} is ${written}, beyond 2^53, the largest integer a JSON number holds exactly: it is read as ${read}, here as in Segment's pipeline. Have the source send it as a string ("${written}"); a "| tostring" in the event mapping cannot bring the lost digits back.`
    expect(item.results[0].warnings).toEqual(
      expect.arrayContaining([
        warning('properties.order_id', '12345678901234567890', '12345678901234567000'),
        warning('properties.products[0].quantity', '98765432109876543210', '98765432109876540000')
      ])
    )
    // What is sent is what Segment's platform would send: the parsed, rounded number.
    expect(item.results[0].request.body).toContain('"order_id":12345678901234567000')
    const people = await runMain(['preview', path])
    expect(people.stdout).toContain('  ! properties.order_id is 12345678901234567890, beyond 2^53')
  })

  it("names an Engage call's membership key and value, and the default mappings take the bundled Engage examples", async () => {
    const engage = ['10-engage-audience-identify', '11-engage-audience-entered', '12-engage-audience-exited']
    const paths = [...engage, '13-engage-computed-trait'].map((name) => join('examples', 'events', `${name}.json`))
    const json = await runMain(['preview', ...paths, '--json'])
    const items = JSON.parse(json.stdout) as (PreviewJson & {
      engage?: { kind: string; key: string; value: unknown; valueFrom: string }
      results: { movableInk?: { mapping?: { name: string }; problems: unknown[] } }[]
    })[]
    expect(items.map((i) => [i.engage?.kind, i.engage?.key, i.engage?.value, i.engage?.valueFrom])).toEqual([
      ['audience', 'first_time_shopper', true, 'traits.first_time_shopper'],
      ['audience', 'first_time_shopper', true, 'properties.first_time_shopper'],
      ['audience', 'first_time_shopper', false, 'properties.first_time_shopper'],
      ['computed trait', 'orders_last_30_days', 3, 'traits.orders_last_30_days']
    ])
    expect(items.map((i) => i.results[0].movableInk?.mapping?.name)).toEqual([
      'Engage Audience',
      'Engage Audience Entered/Exited',
      'Engage Audience Entered/Exited',
      'Engage Computed Trait'
    ])
    expect(items.every((i) => i.results[0].movableInk?.problems.length === 0)).toBe(true)
    const people = await runMain(['preview', paths[0]])
    expect(people.stdout).toContain(
      'Engage audience: first_time_shopper: true (traits.first_time_shopper; the key from context.personas.computation_key)'
    )
  })

  it('counts userId "" as no id on both sides: the destination refuses it, and the Identify mapping misses it', async () => {
    const blank = event({ type: 'identify', userId: '', anonymousId: undefined, event: undefined })
    const { items } = await previewJson([blank])
    const [result] = items[0].results as (PreviewJson['results'][0] & {
      movableInk?: { problems: { field?: string; message: string }[] }
    })[]
    expect(result.errors).toEqual([expect.stringContaining('"userId" or an "anonymousId"')])
    expect(result.movableInk?.problems.find((p) => p.field === 'UserID')?.message).toContain('a blank id is no id')
  })

  it('shows which subscriptions of a mapping file match, and malformed lines', async () => {
    const mapping = file(
      JSON.stringify([
        { name: 'Tracks', subscribe: 'type = "track"', mapping: { data: { '@path': '$.' } } },
        { name: 'Identifies', subscribe: 'type = "identify"', mapping: { data: { '@path': '$.' } } }
      ]),
      'subscriptions.json'
    )
    const path = file(JSON.stringify(event()) + '\n{not json\n')
    const result = await runMain(['preview', path, '--mapping', mapping])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('✓ matches  Tracks: type = "track"')
    expect(result.stdout).toContain('✗ no match  Identifies: type = "identify"')
    expect(result.stdout).toContain(`── Event 2: malformed input (${path}:2)`)
    expect(result.stdout).toContain('authorization: Basic [redacted]')
    expect(result.stdout).toContain('HTTP request:\n  POST <your Movable Ink URL>')
    expect(result.stdout).toContain('2 events previewed, 1 with errors (would be refused). Nothing was sent.')
  })

  it('prints readable text for people, with no secret anywhere', async () => {
    const result = await runMain([
      'preview',
      'examples/events/06-order-completed.json',
      '--url',
      URL,
      '--username',
      USERNAME,
      '--access-secret',
      SECRET
    ])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('── Event 1: track "Order Completed" (examples/events/06-order-completed.json:1)')
    expect(result.stdout).toContain(`POST ${URL}`)
    expect(result.stdout).toMatch(/Size: 0\.\d kB \(\d+ bytes\) of the 2 MB limit/)
    expect(result.stdout).toContain('Errors: none')
    for (const text of [result.stdout, result.stderr]) {
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain(BASIC)
    }
  })

  it('warns once, on stderr, when the URL does not look like a Movable Ink endpoint', async () => {
    const args = ['preview', 'examples/events/01-identify.json', '--json', '--username', USERNAME]
    const odd = await runMain([...args, '--url', URL], { env: { MOVABLE_INK_ACCESS_SECRET: SECRET } })
    expect(odd.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^Warning: the Movable Ink URL may be wrong: its host "events.movableink.example" is not a known Movable Ink collector host .*; its path "\/v1\/endpoints\/abc123" is not \/behavioral\/<endpoint key>\./
      ),
      // with --json, the closing lines go to stderr too, so that stdout stays one JSON array
      '1 event previewed, 0 with errors (would be refused). Nothing was sent.',
      '1 of 1 event that would be sent matches a Movable Ink event mapping.'
    ])
    expect(() => JSON.parse(odd.stdout)).not.toThrow()
    const good = 'https://collector.movableink-dmz.com/behavioral/abc123'
    const fine = await runMain([...args, '--url', good], { env: { MOVABLE_INK_ACCESS_SECRET: SECRET } })
    expect(fine.stderr).not.toContain('Warning')
  })
})
