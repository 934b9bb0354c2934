import { mkdtempSync, rmSync, writeFileSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import { runCoverage } from '../../src/suite/coverageRun'
import type { CoverageReport } from '../../src/suite/coverageReport'
import { coverageHtml, coverageLines } from '../../src/suite'
import { presetSubscriptions } from '../../src/runtime/subscriptions'

/**
 * Coverage gives the same warnings as preview and the studio, by code: a Product Viewed without the product
 * page URL is mapped and refused by nothing, yet Movable Ink cannot use it, so it is not counted as useful, and
 * every form of the report says why. A warning that does not take the use away (a userId that looks like an
 * e-mail address, or the model's own: an event two mappings match) is shown but leaves the event useful.
 */

const dir = mkdtempSync(join(tmpdir(), 'movable-ink-coverage-warnings-'))
const endpointFile = join(dir, 'endpoint.json')
const exportFile = join(dir, 'export.jsonl')
const timestamp = new Date().toISOString()

writeFileSync(
  endpointFile,
  JSON.stringify({
    endpointKey: 'coverage-warnings',
    mappings: [
      {
        name: 'Product Viewed',
        schema: 'Product',
        match: '.type == "track" and .event == "Product Viewed"',
        fields: [
          { name: 'ID', path: '.properties.product_id', type: 'string', required: true },
          { name: 'UserID', path: '.userId', type: 'string', required: true },
          { name: 'Timestamp', path: '.timestamp', type: 'string', required: true }
        ]
      },
      // Takes nothing (the first mapping does) but makes every event ambiguous: the model's own warning.
      {
        name: 'Any track',
        schema: 'Custom',
        match: '.type == "track"',
        fields: [{ name: 'Timestamp', path: '.timestamp', type: 'string', required: true }]
      }
    ]
  })
)
const viewed = (userId: string, properties: Record<string, unknown>) =>
  JSON.stringify({ type: 'track', event: 'Product Viewed', userId, timestamp, properties })
writeFileSync(
  exportFile,
  [
    viewed('u-1', { product_id: 'p-1', url: 'https://shop.example/p-1' }),
    viewed('u-2', { product_id: 'p-2' }),
    viewed('u-3', { product_id: 'p-3' }),
    viewed('ann@example.com', { product_id: 'p-4', url: 'https://shop.example/p-4' })
  ].join('\n') + '\n'
)

describe('test --coverage applies the warnings preview and the studio give', () => {
  let report: CoverageReport
  beforeAll(async () => {
    report = await runCoverage({ inputs: [exportFile], endpointFile, subscriptions: presetSubscriptions(), workers: 0 })
  }, 60_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('counts a Product Viewed without url as not useful, by its code, and one with a personal userId as useful', () => {
    const group = report.events.find((g) => g.label === 'track "Product Viewed"')
    expect(group).toMatchObject({
      events: { count: 4 },
      problems: { count: 0 },
      notUseful: { count: 2 },
      useful: { count: 2 }
    })
    expect(group?.warnings).toEqual([
      expect.objectContaining({
        what: 'missing-product-url',
        notUseful: true,
        count: expect.objectContaining({ count: 2 }),
        first: { file: exportFile, line: 2 },
        message: expect.stringContaining('Movable Ink needs the product page URL')
      }),
      expect.objectContaining({ what: 'also-matches', notUseful: false, count: expect.objectContaining({ count: 4 }) }),
      expect.objectContaining({ what: 'personal-user-id', notUseful: false, first: { file: exportFile, line: 4 } })
    ])
    expect(report.useful.count).toBe(2)
    expect(report.notUseful.count).toBe(2)
  })

  it('says why in the text and the HTML report', () => {
    const text = coverageLines(report).join('\n')
    expect(text).toMatch(/track "Product Viewed": 4 events \(100\.0%\), 50\.0% reach Movable Ink usefully/)
    expect(text).toContain(`not useful to Movable Ink (missing-product-url): 2 (50.0%), first at ${exportFile}:2`)
    expect(text).toContain('"Product Viewed" has no "properties.url"')
    expect(text).toContain('warning (personal-user-id): 1 (25.0%)')
    expect(text).toContain('takes 50.0% but cannot use them')
    expect(text).toContain('Would reach Movable Ink usefully: 2 of 4 events (50.0%).')
    const html = coverageHtml(report)
    expect(html).toContain('not useful to Movable Ink (missing-product-url): 2 (50.0%)')
    expect(html).toContain('class="notuseful" style="width:50.000%"')
  })
})
