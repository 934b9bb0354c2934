import { readFileSync, writeFileSync } from 'fs'
import { join } from 'path'
import { DEFAULT_ENDPOINT_FILE } from '../../src/endpointModel'
import { runMain, tempDir } from './helpers'

/** `movable-ink test --coverage`: text, --json and --html over a small export; the counts themselves: test/suite. */

const dir = tempDir()
const timestamp = '2025-05-01T12:00:00.000Z'
const events = [
  {
    type: 'track',
    event: 'Product Viewed',
    userId: 'u',
    timestamp,
    properties: { product_id: 'p', price: 9.5, url: 'https://shop.example/p' }
  },
  { type: 'track', event: 'Product Viewed', userId: 'u', timestamp, properties: { price: '9.50' } },
  { type: 'group', groupId: 'g', userId: 'u', timestamp },
  { type: 'track', event: 'Signed Up', userId: 'u' }
]
const file = join(dir, 'export.jsonl')
writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n{"type": \n')

describe('movable-ink test --coverage', () => {
  it('prints per event name what became of it, with a first line for each problem, and the useful share', async () => {
    const result = await runMain(['test', '--coverage', file, '--workers', '1'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`Coverage of 5 events from ${file}: every one evaluated.`)
    expect(result.stdout).toMatch(
      new RegExp(
        `\\nEndpoint file: \\S+/examples/movable-ink-endpoint\\.json\\. Inputs: ${file} \\(5 events\\)\\. Made \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\.\\n`
      )
    )
    expect(result.stdout).toContain('track "Product Viewed": 2 events (40.0%), 50.0% reach Movable Ink usefully')
    expect(result.stdout).toContain(
      `    field ID of "Product Viewed" (.properties.product_id) missing: 1 (50.0%), first at ${file}:2`
    )
    expect(result.stdout).toMatch(
      new RegExp(
        `field Price of "Product Viewed" \\(\\.properties\\.price\\) mistyped: 1 \\(50\\.0%\\), first at ${file}:2\\n +Price should be a number, but \\.properties\\.price gives the string "9\\.50"`
      )
    )
    // Preview's warnings, by code: the second has no url as well (not useful); the 30-day window only warns.
    expect(result.stdout).toContain(
      `    not useful to Movable Ink (missing-product-url): 1 (50.0%), first at ${file}:2\n` +
        `        "Product Viewed" has no "properties.url": Movable Ink needs the product page URL`
    )
    expect(result.stdout).toContain(`    warning (beyond-retention): 2 (100.0%), first at ${file}:1`)
    expect(result.stdout).toContain(`    refused by Movable Ink (unmapped): 1 (100.0%), first at ${file}:3`)
    expect(result.stdout).toContain(`    refused by Segment's side (timestamp): 1 (100.0%), first at ${file}:4`)
    expect(result.stdout).toContain(`Malformed lines: 1 (20.0%), first at ${file}:5`)
    expect(result.stdout.trim().split('\n').pop()).toBe('Would reach Movable Ink usefully: 1 of 5 events (20.0%).')
  })

  it('gives the same report as JSON, and as a self-contained HTML page with a bar per event name', async () => {
    const html = join(dir, 'report.html')
    const result = await runMain(['test', '--coverage', file, '--json', '--html', html, '--workers', '0'])
    expect(result.code).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report).toMatchObject({ read: 5, evaluated: 5, useful: { count: 1, share: 0.2 }, malformed: { count: 1 } })
    expect(report.inputs).toEqual([{ file, events: 5 }])
    expect(report.events.map((g: { label: string }) => g.label)).toEqual([
      'track "Product Viewed"',
      'group',
      'track "Signed Up"'
    ])
    const page = readFileSync(html, 'utf8')
    expect(page).toMatch(/^<!doctype html>/)
    expect(page).not.toMatch(/<script|<link|src=/)
    expect(page.match(/<div class="bar">/g)).toHaveLength(3)
    expect(page).toContain('<th>track &quot;Product Viewed&quot;</th>')
    expect(page).toContain('class="useful" style="width:50.000%"')
    // The page's items read as the text report's.
    expect(page).toContain(
      `<li>field ID of &quot;Product Viewed&quot; (.properties.product_id) missing: 1 (50.0%), first at <code>${file}:2</code></li>`
    )
  })

  it('counts events left out on purpose apart, and gives the useful share of the events meant for Movable Ink', async () => {
    const endpoint = join(dir, 'decided.json')
    const spec = JSON.parse(readFileSync(DEFAULT_ENDPOINT_FILE, 'utf8'))
    spec.notForMovableInk = [{ match: '.type == "group"', reason: 'accounts are not personalised' }]
    writeFileSync(endpoint, JSON.stringify(spec))
    const html = join(dir, 'decided.html')
    const result = await runMain(['test', '--coverage', file, '--endpoint', endpoint, '--html', html, '--workers', '1'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      'group: 1 event (20.0%), not for Movable Ink (on purpose)\n' +
        `    not for Movable Ink (match .type == "group"): 1 (100.0%), first at ${file}:3\n` +
        '        accounts are not personalised\n'
    )
    expect(result.stdout).not.toContain('refused by Movable Ink (unmapped)')
    expect(result.stdout.trim().split('\n').pop()).toBe(
      'Would reach Movable Ink usefully: 25.0% of the events meant for it (1 left out on purpose as not for Movable Ink); of every event read: 1 of 5 events (20.0%).'
    )
    const page = readFileSync(html, 'utf8')
    expect(page).toContain('<span class="big">25.0%</span> of the events meant for Movable Ink')
    expect(page).toContain('class="decided" style="width:100.000%"')
  })

  it('reports each share with its margin when sampling, and refuses a rate that is no rate', async () => {
    const many = join(dir, 'many.jsonl')
    writeFileSync(
      many,
      Array.from({ length: 100 }, () => events.map((e) => JSON.stringify(e)))
        .flat()
        .join('\n')
    )
    const result = await runMain(['test', '--coverage', many, '--sample', '0.5', '--seed', '3', '--workers', '0'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/a uniform sample of \d+ \(rate 0\.5, seed 3; shares with their 95% margin/)
    expect(result.stdout).toMatch(/Would reach Movable Ink usefully: ≈\d+ of 400 events \(\d+\.\d% ± \d+(\.\d+)?%\)\./)
    const bad = await runMain(['test', '--coverage', file, '--sample', '2'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('expected a share from 0 to 1')
  })
})
