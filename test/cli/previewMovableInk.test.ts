import { readFileSync, writeFileSync } from 'fs'
import { join } from 'path'
import { DEFAULT_ENDPOINT_FILE } from '../../src/endpointModel'
import { runMain, tempDir } from './helpers'

/** preview's "Movable Ink" section: what the endpoint file's event mappings make of each event. */

const dir = tempDir()
let n = 0
const write = (name: string, text: string) => {
  const path = join(dir, `${n++}-${name}`)
  writeFileSync(path, text)
  return path
}
const jsonl = (events: unknown[]) => write('events.jsonl', events.map((e) => JSON.stringify(e)).join('\n') + '\n')
const defaultSpec = () => JSON.parse(readFileSync(DEFAULT_ENDPOINT_FILE, 'utf8'))

const timestamp = '2026-11-20T10:00:00.123Z'
const viewed = {
  type: 'track',
  event: 'Product Viewed',
  userId: 'u-1',
  timestamp,
  properties: { product_id: 'sku-1', name: 'Trail Runner', price: 89.99, url: 'https://shop.example/p/1' }
}
const coupon = { type: 'track', event: 'Coupon Applied', userId: 'u-1', timestamp, properties: { coupon: 'X' } }

describe('preview: the Movable Ink side of each event', () => {
  it('shows the matched mapping and a table of its schema fields, and names the unmapped events at the end', async () => {
    const events = jsonl([viewed, coupon, { ...viewed, event: 'Product Added' }])
    const result = await runMain(['preview', events])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Movable Ink: event mapping "Product Viewed" (schema Product)')
    expect(result.stdout).toMatch(/✓ ID \* +"sku-1"/)
    expect(result.stdout).toMatch(new RegExp(`✓ Timestamp \\* +${Date.parse(timestamp)}\\n`))
    expect(result.stdout).toMatch(/✓ Price +89\.99/)
    expect(result.stdout).toContain('Movable Ink: no event mapping takes this event')
    expect(result.stdout).toContain(
      'fix: add an event mapping whose match criterion is .type == "track" and .event == "Coupon Applied"'
    )
    expect(result.stdout).toContain('Movable Ink: event mapping "Product Added" (schema CartAdd)')
    expect(result.stdout.trim().split('\n').pop()).toBe(
      `2 of 3 events that would be sent match a Movable Ink event mapping; unmapped: track "Coupon Applied" (line 2).`
    )
  })

  it('gives the same evaluation in --json, with the closing lines on stderr', async () => {
    const result = await runMain(['preview', jsonl([viewed, coupon]), '--json'])
    expect(result.code).toBe(0)
    const [first, second] = JSON.parse(result.stdout)
    expect(first.results[0].movableInk).toMatchObject({
      mapping: { name: 'Product Viewed', schema: 'Product' },
      otherMatches: [],
      problems: [],
      timestampMs: Date.parse(timestamp)
    })
    const fields = Object.fromEntries(first.results[0].movableInk.fields.map((f: { name: string }) => [f.name, f]))
    expect(fields.ID).toMatchObject({ value: 'sku-1', present: true, required: true })
    expect(fields.Title).toMatchObject({ value: 'Trail Runner', present: true })
    expect(second.results[0].movableInk.mapping).toBeUndefined()
    expect(second.results[0].movableInk.problems).toEqual([
      expect.objectContaining({ kind: 'unmapped', fix: expect.stringContaining('.event == "Coupon Applied"') })
    ])
    expect(result.stderr).toContain('1 of 2 events that would be sent matches a Movable Ink event mapping')
  })

  it('uses --endpoint FILE: a mapping added there takes the event', async () => {
    const spec = defaultSpec()
    spec.mappings.push({
      name: 'Coupon Applied',
      schema: 'Custom',
      match: '.event == "Coupon Applied"',
      active: true,
      fields: [{ name: 'Coupon', path: '.properties.coupon', type: 'string', required: true }]
    })
    const endpoint = write('endpoint.json', JSON.stringify(spec))
    const result = await runMain(['preview', jsonl([coupon]), '--endpoint', endpoint])
    expect(result.stdout).toContain('Movable Ink: event mapping "Coupon Applied" (schema Custom)')
    expect(result.stdout).toMatch(/✓ Coupon \* +"X"/)
    expect(result.stdout).toContain('1 of 1 event that would be sent matches a Movable Ink event mapping.')
  })

  it('shows a missing required field, a wrong type, and the jq path that converts an ISO 8601 timestamp', async () => {
    const spec = defaultSpec()
    const product = spec.mappings.find((m: { name: string }) => m.name === 'Product Viewed')
    const stamp = product.fields.find((f: { name: string }) => f.name === 'Timestamp')
    stamp.path = '.timestamp'
    const endpoint = write('endpoint.json', JSON.stringify(spec))
    const noId = { ...viewed, properties: { ...viewed.properties, product_id: undefined } }
    const result = await runMain(['preview', jsonl([noId]), '--endpoint', endpoint, '--json'])
    const evaluation = JSON.parse(result.stdout)[0].results[0].movableInk
    const kinds = evaluation.problems.map((p: { kind: string; field?: string }) => `${p.kind}:${p.field}`)
    expect(kinds.sort()).toEqual(['missing-required:ID', 'wrong-type:Timestamp'])
    const timestampField = evaluation.fields.find((f: { name: string }) => f.name === 'Timestamp')
    // The fix was run through jq on this very event: it gives the Unix milliseconds of the ISO timestamp.
    expect(timestampField.fix).toMatchObject({ value: Date.parse(timestamp) })
    expect(timestampField.fix.path).toContain('fromdateiso8601')
  })

  it('refuses a broken endpoint file with every mistake, quoting jq, and exits 2', async () => {
    const spec = defaultSpec()
    spec.mappings[0].match = '.type == '
    spec.mappings[1].fields[0].type = 'text'
    const endpoint = write('broken.json', JSON.stringify(spec))
    const result = await runMain(['preview', jsonl([viewed]), '--endpoint', endpoint])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(`Endpoint file ${endpoint} has 2 problems`)
    expect(result.stderr).toContain(
      '  mappings[0].match (mapping "Identify"): is not valid jq: jq: error: syntax error, unexpected end of file at <top-level>, line 1:\n      .type =='
    )
    expect(result.stderr).toContain(
      '  mappings[1].fields[0].type (mapping "Product Viewed"): "text" is not a field type: use one of string, number'
    )
  })

  it('points at the line and column of an endpoint file that is not JSON', async () => {
    const endpoint = write('bad.json', '{\n  "endpointKey": "k",\n  "mappings": [],\n}\n')
    const result = await runMain(['preview', jsonl([viewed]), '--endpoint', endpoint])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/is not valid JSON: .*\(line 4, column 1\)/)
  })
})
