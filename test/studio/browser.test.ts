import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import { chromium } from 'playwright-core'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import type { Studio } from '../../src/studio/server'
import { findChromium } from './chromium'
import { ROOT, startTestStudio, viewedProduct } from './helpers'

/**
 * The studio in a real browser (the system's chromium, else the one npm installed with @sparticuz/chromium;
 * see chromium.ts), driven by playwright-core: a Solutions Architect's job from paste to report, with the
 * keyboard focus checked after every action and the layout checked for sideways scrolling at 1280 px.
 */

const BROWSER = findChromium()
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]
export const SCREENSHOT = join(ROOT, 'test-output', 'studio.png')

/** Waits until the locator's text matches, and says what it was when it never does. */
async function waitForText(locator: Locator, pattern: RegExp, timeout = 10_000): Promise<string> {
  const until = Date.now() + timeout
  let text = ''
  while (Date.now() < until) {
    text = (await locator.count()) > 0 ? (await locator.first().innerText()).trim() : '(not on the page)'
    if (pattern.test(text)) return text
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`Expected ${pattern} but the page shows: ${text}`)
}

/** The id of the element that has the keyboard focus. */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '')

/** Neither the page nor any of its columns scrolls sideways: each one's content fits its width. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() =>
    [document.documentElement, ...Array.from(document.querySelectorAll('.column'))].map((n) => [
      n.id || n.tagName,
      n.scrollWidth,
      n.clientWidth
    ])
  )
  for (const [name, scroll, client] of widths) expect({ name, fits: scroll <= client }).toEqual({ name, fits: true })
}

/** A recent Order Completed with arrays inside arrays, the kind that used to push the page sideways. */
function orderCompleted(): Record<string, unknown> {
  return {
    type: 'track',
    event: 'Order Completed',
    messageId: 'studio-test-order',
    timestamp: new Date().toISOString(),
    userId: 'user-42',
    properties: {
      order_id: 'order-9001',
      total: 104.98,
      revenue: 89.99,
      currency: 'USD',
      products: [1, 2, 3].map((n) => ({
        product_id: `507f1f77bcf86cd79943901${n}`,
        sku: `SHOE-RUN-${n}-WITH-A-VERY-LONG-SKU-THAT-HAS-NO-SPACES-AT-ALL-0123456789`,
        name: 'Trail Runner',
        price: 89.99,
        quantity: 1,
        categories: [['Shoes', 'Running', ['Trail', 'Road']]],
        url: `https://shop.example.com/products/trail-runner-${n}?utm_source=newsletter&utm_medium=email&utm_campaign=spring`
      }))
    }
  }
}

let studio: Studio
let context: BrowserContext
let page: Page
let profile: string

beforeAll(async () => {
  studio = (await startTestStudio()).studio
  profile = mkdtempSync(join(tmpdir(), 'studio-chromium-'))
  context = await chromium.launchPersistentContext(profile, {
    executablePath: BROWSER.executablePath,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 }
  })
  page = await context.newPage()
  page.on('dialog', (dialog) => {
    throw new Error(`Unexpected dialog: ${dialog.message()}`)
  })
}, 120_000)

afterAll(async () => {
  await context?.close()
  await studio?.close()
  if (profile) rmSync(profile, { recursive: true, force: true })
})

it(`in ${BROWSER.name}: pastes, filters, fixes a mapping beside its values, undoes, sends and exports, focus kept throughout`, async () => {
  await page.goto(studio.url)
  await waitForText(page.locator('#summary-line'), /0 events previewed/)

  // Paste: an unmapped event, an order with nested arrays, and an event older than 30 days.
  const old = JSON.parse(readFileSync(join(ROOT, 'examples', 'events', '04-product-viewed.json'), 'utf8'))
  const pasted = [viewedProduct(), orderCompleted(), old]
  // With no events the "Add events" box is open.
  await page.getByLabel(/Paste one event/).fill(JSON.stringify(pasted, null, 2))
  await page.getByRole('button', { name: 'Add pasted events' }).click()
  await waitForText(page.locator('#add-progress'), /Added 3 events/)
  const viewed = page.locator('#event-list li', { hasText: 'Viewed Product' })
  await waitForText(viewed.locator('.badge'), /unmapped$/)

  // A warning is a status: the old event is amber, with the reason in words.
  const oldRow = page.locator('#event-list li', { hasText: 'track "Product Viewed"' })
  await waitForText(oldRow.locator('.badge'), /mapped, with warnings$/)

  // Filter by status, then by text.
  await page.locator('#filter-status').focus()
  await page.locator('#filter-status').selectOption('warnings')
  await waitForText(page.locator('#event-list'), /^track "Product Viewed"[^]*mapped, with warnings/)
  expect(await page.locator('#event-list li').count()).toBe(1)
  expect(await focused(page)).toBe('filter-status')
  await page.locator('#filter-status').selectOption('all')
  await page.locator('#filter-text').fill('viewed')
  await waitForText(page.locator('#event-list'), /Viewed Product[^]*Product Viewed/)
  expect(await page.locator('#event-list li').count()).toBe(2)
  expect(await focused(page)).toBe('filter-text')
  await page.locator('#filter-text').fill('')

  // Choosing an event keeps the focus on it; the editor shows that no mapping takes it.
  await viewed.locator('.pick').click()
  const viewedId = await viewed.locator('.pick').getAttribute('id')
  await waitForText(page.locator('#event-mapping-note'), /No mapping takes track "Viewed Product"/)
  expect(await focused(page)).toBe(viewedId)

  // Fix the match criterion of mapping 2; a mistake marks the results out of date and shows at the box.
  await page.locator('#mapping-select').focus()
  await page.locator('#mapping-select').selectOption('1')
  expect(await focused(page)).toBe('mapping-select')
  const match = page.locator('#input-1-m-match')
  await match.fill('.type == "track" and (.event == "Product Viewed" or')
  await waitForText(page.locator('#problem-1-m-match'), /is not valid jq/)
  await waitForText(page.locator('#check-status'), /Out of date: the mappings have 1 mistake/)
  await match.fill('.type == "track" and (.event == "Product Viewed" or .event == "Viewed Product")')
  await waitForText(viewed.locator('.badge'), /✓ mapped$/)
  await waitForText(page.locator('#check-status'), /Results up to date/)
  await waitForText(page.locator('#match-result'), /Takes track "Viewed Product"/)
  expect(await focused(page)).toBe('input-1-m-match')
  await waitForText(page.locator('#unsaved'), /Unsaved changes/)

  // Pick a path by clicking the event's JSON; the field's value shows beside it, and the part is highlighted.
  const idPath = page.locator('#input-1-0-path')
  await idPath.fill('.properties.product')
  await waitForText(page.locator('#value-1-0'), /Value for this event: \(no value\)|null/)
  await waitForText(page.locator('#value-1-0'), /ID is required/)
  await page.locator('#event-json button.jk', { hasText: '"product_id"' }).click()
  await waitForText(page.locator('#value-1-0'), /✓[^]*Value for this event: "sku-42"/)
  expect(await idPath.inputValue()).toBe('.properties.product_id')
  expect(await focused(page)).toBe('input-1-0-path')
  await waitForText(page.locator('#event-json .hl'), /"product_id": "sku-42"/)

  // The timestamp hint: "Use this path" puts the conversion in, and the focus stays in that box.
  await page.locator('#input-1-1-path').fill('.timestamp')
  await page.getByRole('button', { name: 'Use this path for Timestamp' }).click()
  await waitForText(page.locator('#value-1-1'), /✓[^]*Value for this event: \d{13}$/)
  expect(await focused(page)).toBe('input-1-1-path')

  // Remove a field, undo it; the focus goes to Undo, then back to the field's own button.
  await page.locator('#remove-field-1-2').click()
  await waitForText(page.locator('#undo-bar'), /Removed field 3 "Categories" of mapping 2/)
  expect(await focused(page)).toBe('undo-button')
  expect(await page.locator('#mapping-editor li.field').count()).toBe(7)
  await page.keyboard.press('Enter')
  await waitForText(page.locator('#input-1-2-name'), /^$/)
  expect(await page.locator('#input-1-2-name').inputValue()).toBe('Categories')
  expect(await focused(page)).toBe('remove-field-1-2')

  // "Add a field" puts the focus in the new field's name.
  await page.getByRole('button', { name: 'Add a field' }).click()
  expect(await focused(page)).toBe('input-1-8-name')
  await page.locator('#remove-field-1-8').click()
  expect(await focused(page)).toBe('undo-button')

  // The test send names the event, asks nothing for the stand-in, and says what came back.
  await waitForText(page.locator('#send-button'), /^Send track "Viewed Product"$/)
  await page.locator('#send-button').click()
  await waitForText(page.locator('#send-result'), /delivered track "Viewed Product": HTTP 200 from the stand-in/)
  await waitForText(page.locator('#send-result'), /Request id: [0-9a-f-]{36}/)
  expect(await focused(page)).toBe('send-button')

  // Another event: the last send's result is cleared. The nested order fits at 1280 px without sideways scroll.
  const order = page.locator('#event-list li', { hasText: 'Order Completed' }).locator('.pick')
  await order.click()
  await waitForText(page.locator('#detail-title'), /Order Completed/)
  expect(await page.locator('#send-result').innerText()).toBe('')
  await waitForText(page.locator('#match-result'), /Takes track "Order Completed"/)
  await page.locator('#detail details.segment summary').click()
  await expectNoSidewaysScroll(page)
  const sides = await page.locator('#sides').boundingBox()
  expect(sides?.width).toBeGreaterThan(350)

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Report (HTML)' }).click()
  ])
  expect(download.suggestedFilename()).toBe('movable-ink-check.html')
  const report = readFileSync(await download.path(), 'utf8')
  expect(report).toContain("Event mappings to build in Movable Ink's dashboard")
  expect(report).toMatch(
    /track &quot;Viewed Product&quot;<\/td><td>paste 1:1<\/td><td><span class="badge ok">✓ mapped</
  )
  expect(report).not.toContain(ROOT)

  await viewed.locator('.pick').click()
  await page.getByRole('button', { name: 'Dismiss' }).click()
}, 90_000)

it(`in ${BROWSER.name}: saves an event as expected, sees it differ after an edit with its diff, filters and exports the suite's result`, async () => {
  const viewed = page.locator('#event-list li', { hasText: 'Viewed Product' })
  await viewed.locator('.pick').click()
  // A pasted event has no expectation, and says where saving it would put it.
  await waitForText(viewed.locator('.badge.expect'), /no expectation$/)
  await waitForText(
    page.locator('#suite-line'),
    /^Expected results: 0 match expected, 0 differ from expected, 3 without expectation\.$/
  )
  await waitForText(page.locator('#expected'), /pasted: in no sample file yet/)
  await waitForText(
    page.locator('#pasted-target'),
    /^Saving adds it to movable-ink-suite\/pasted\.jsonl, with its expected file beside it\.$/
  )
  expect(await page.locator('#suite-path').inputValue()).toBe('movable-ink-suite/pasted.jsonl')
  await waitForText(page.locator('#pasted-row label'), /^Suite file for pasted events \(in \/\S+\)$/)

  // Save it as expected: the page says where it went, and the event is a sample event from then on.
  await page.locator('#save-expected').click()
  await waitForText(
    page.locator('#expected-result'),
    /^Wrote 1 pasted event in \S+\/pasted\.jsonl \(line 1\), a new sample file\.\nWrote \S+\/pasted\.expected\.json: 1 event$/
  )
  await waitForText(viewed.locator('.badge.expect'), /matches expected$/)
  await waitForText(viewed.locator('.where'), /^pasted\.jsonl:1$/)
  await waitForText(page.locator('#expected-status'), /matches expected$/)
  expect(await focused(page)).toBe('save-expected')

  // Edit the ID's path: the event no longer makes what was saved, and its detail says how, as movable-ink test does.
  const idPath = page.locator('#input-1-0-path')
  await idPath.fill('.properties.sku')
  await waitForText(viewed.locator('.badge.expect'), /differs from expected$/)
  await waitForText(page.locator('#expected-status'), /differs from expected$/)
  const differences = await waitForText(page.locator('#expected .differences'), /Movable Ink field ID/)
  expect(differences.split('\n')).toEqual([
    'Movable Ink refused: expected none, actual missing-required: ID',
    expect.stringMatching(/^missing-required: ID: ID is required, but \.properties\.sku gives no value for this event/),
    'Movable Ink field ID (.properties.sku): expected "sku-42", actual null'
  ])
  await waitForText(page.locator('#suite-line'), /0 match expected, 1 differs from expected, 2 without expectation/)
  expect(await focused(page)).toBe('input-1-0-path')

  // The filter for what differs from its expectation.
  await page.locator('#filter-status').focus()
  await page.locator('#filter-status').selectOption('differs')
  await waitForText(page.locator('#event-list li'), /^track "Viewed Product"[^]*differs from expected\s+✕$/)
  expect(await page.locator('#event-list li').count()).toBe(1)
  expect(await focused(page)).toBe('filter-status')
  await page.locator('#filter-status').selectOption('all')
  await waitForText(page.locator('#event-list'), /Order Completed/)

  // Still no sideways scrolling, with the differences shown.
  await expectNoSidewaysScroll(page)

  // The report has the suite's result, with the difference in the same words.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Report (Markdown)' }).click()
  ])
  const report = readFileSync(await download.path(), 'utf8')
  expect(report).toContain(
    [
      '## Against the expected results (movable-ink test)',
      '',
      '0 match expected, 1 differs from expected, 2 without expectation.',
      '',
      '### track "Viewed Product" (pasted.jsonl:1): differs from expected'
    ].join('\n')
  )
  expect(report).toContain('- Movable Ink field ID (.properties.sku): expected "sku-42", actual null')
  expect(report).not.toContain(ROOT)

  // The pasted event's new place shows wherever it is named.
  await waitForText(page.locator('#send-what'), /^Sends track "Viewed Product" \(pasted\.jsonl:1\)\.$/)
  await idPath.focus()
  await page.evaluate(() => document.querySelectorAll('.column').forEach((c) => (c.scrollTop = 0)))
  mkdirSync(join(ROOT, 'test-output'), { recursive: true })
  await page.screenshot({ path: SCREENSHOT })

  // While the mappings have a mistake nothing is saved, and the page says why.
  await idPath.fill('.properties | ]')
  await waitForText(page.locator('#check-status'), /Out of date: the mappings have 1 mistake/)
  await page.locator('#save-expected').click()
  await waitForText(page.locator('#expected-result'), /^Not saved as expected: The event mappings have 1 problem/)
  expect(await focused(page)).toBe('save-expected')
  await idPath.fill('.properties.sku')
  await waitForText(page.locator('#check-status'), /Results up to date/)

  // "Save all as expected": the two other pasted events join the suite file, and everything matches.
  await page.locator('#save-all-expected').click()
  await waitForText(
    page.locator('#suite-result'),
    /^Saved 1 expected file in movable-ink-suite\/ \(1 changed\); added 2 pasted events to movable-ink-suite\/pasted\.jsonl\.\nDetails \(\d+ lines\)$/
  )
  await waitForText(page.locator('#suite-line'), /3 match expected, 0 differ from expected, 0 without expectation/)
  expect(await focused(page)).toBe('save-all-expected')
  expect(await page.locator('#pasted-row').isHidden()).toBe(true)
  // The file-by-file lines, folded under the summary.
  await page.locator('#suite-details summary').click()
  await waitForText(
    page.locator('#suite-details pre'),
    /^Added 2 pasted events to \S+\/pasted\.jsonl \(lines 2-3\)\.\nUpdated /
  )
}, 90_000)

it(`in ${BROWSER.name}: decides an event is not for Movable Ink in one click, brings a schema's fields, and types paths without traps`, async () => {
  const clicked = { ...viewedProduct(), event: 'Product Clicked', messageId: 'studio-test-clicked' }
  const listViewed = {
    ...viewedProduct(),
    event: 'Product List Filtered',
    messageId: 'studio-test-category',
    properties: { category: 'Shoes', url: 'https://shop.example.com/c/shoes' }
  }
  await page.locator('#add-events').evaluate((d) => ((d as HTMLDetailsElement).open = true))
  await page.locator('#paste').fill(JSON.stringify([clicked, listViewed]))
  await page.getByRole('button', { name: 'Add pasted events' }).click()
  await waitForText(page.locator('#add-progress'), /Added 2 events/)

  // The event list is one Tab stop; the arrows move from event to event and select them.
  const picks = page.locator('#event-list button.pick')
  expect(await page.locator('#event-list button[tabindex="0"]').count()).toBe(1)
  expect(await page.locator('#event-list button.remove[tabindex="-1"]').count()).toBe(await picks.count())
  const row = page.locator('#event-list li', { hasText: 'Product Clicked' })
  await row.locator('.pick').click()
  await waitForText(page.locator('#detail-title'), /Product Clicked/)
  await page.keyboard.press('ArrowDown')
  await waitForText(page.locator('#detail-title'), /Product List Filtered/)
  await page.keyboard.press('ArrowUp')
  await waitForText(page.locator('#detail-title'), /Product Clicked/)
  expect(await focused(page)).toBe(await row.locator('.pick').getAttribute('id'))

  // One click decides it is not for Movable Ink: a neutral status, the reason box focused with its text selected.
  await waitForText(row.locator('.badge').first(), /unmapped$/)
  await page.getByRole('button', { name: 'Not for Movable Ink' }).click()
  await waitForText(row.locator('.badge').first(), /⊘ not for Movable Ink$/)
  await waitForText(page.locator('#event-mapping-note'), /Product Clicked" is not for Movable Ink, on purpose/)
  expect(await focused(page)).toBe('decision-reason')
  await page.keyboard.type('clicks are not used in campaigns')
  expect(await page.locator('#decision-reason').inputValue()).toBe('clicks are not used in campaigns')
  await page.locator('#filter-status').selectOption('decided')
  await waitForText(page.locator('#event-list'), /^track "Product Clicked"[^]*not for Movable Ink/)
  expect(await page.locator('#event-list li').count()).toBe(1)
  await page.locator('#filter-status').selectOption('all')
  await waitForText(page.locator('#check-status'), /Results up to date/)
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Report (Markdown)' }).click()
  ])
  const report = readFileSync(await download.path(), 'utf8')
  expect(report).toMatch(
    /\| track "Product Clicked" \| paste \d+:1 \| event "Product Clicked" \| clicks are not used in campaigns \|/
  )

  // A schema brings its fields: Category adds CategoryID with the event's own property, marked as a guess.
  const category = page.locator('#event-list li', { hasText: 'Product List Filtered' })
  await category.locator('.pick').click()
  await waitForText(page.locator('#event-mapping-note'), /No mapping takes track "Product List Filtered"/)
  await page.getByRole('button', { name: 'Add a mapping for this event' }).click()
  const m = Number((await page.locator('#mapping-select').inputValue()) || '0')
  await page.locator(`#input-${m}-m-schema`).selectOption('Category')
  await waitForText(page.locator(`#mapping-editor`), /Guessed from the selected event/)
  const names = await page
    .locator('#mapping-editor input.field-name')
    .evaluateAll((n) => n.map((i) => (i as HTMLInputElement).value))
  expect(names).toEqual(['Timestamp', 'CategoryID'])
  expect(await page.locator(`#input-${m}-1-path`).inputValue()).toBe('.properties.category')
  await waitForText(category.locator('.badge').first(), /[✓!] mapped/)
  await page.locator(`#guess-${m}-1-confirm`).click()
  expect(await page.locator(`#guess-${m}-1`).count()).toBe(0)
  await page.getByRole('button', { name: '+ CategoryURL' }).click()
  expect(await page.locator(`#input-${m}-2-path`).inputValue()).toBe('.properties.url')

  // A new field's "." gives way to the path typed; Enter takes the path offered instead of a new line.
  await page.getByRole('button', { name: 'Add a field' }).click()
  const path = page.locator(`#input-${m}-3-path`)
  await path.click()
  await page.keyboard.type('.properties.categ')
  await waitForText(page.locator(`#input-${m}-3-path-options`), /\.properties\.category/)
  await page.keyboard.press('Enter')
  expect(await path.inputValue()).toBe('.properties.category')
  await page.locator(`#input-${m}-3-name`).fill('Category')

  // A lone "=" is warned about at the match box; the header does not grow while the results are out of date.
  const header = async () => (await page.locator('header').boundingBox())?.height
  await waitForText(page.locator('#check-status'), /Results up to date/)
  const before = await header()
  await page.locator(`#input-${m}-m-match`).fill('.type = "track"')
  await waitForText(page.locator(`#problem-${m}-m-match`), /A single "=" assigns in jq/)
  await page.locator(`#input-${m}-m-match`).fill('.type == "track" and')
  await waitForText(page.locator('#check-status'), /Out of date/)
  expect(await header()).toBe(before)
  await page.locator(`#input-${m}-m-match`).fill('.type == "track" and .event == "Product List Filtered"')
  await waitForText(page.locator('#check-status'), /Results up to date/)

  // The page itself never scrolls: only its columns do, even with the wheel over the header.
  await page.mouse.move(200, 20)
  await page.mouse.wheel(0, 2000)
  await page.locator('#events').evaluate((n) => (n.scrollTop = 10_000))
  expect(await page.evaluate(() => [window.scrollY, document.documentElement.scrollHeight - innerHeight])).toEqual([
    0, 0
  ])
}, 90_000)

describe(`in ${BROWSER.name}: a customer's 21 sample files at 1280 px`, () => {
  let suiteStudio: Studio
  let samples: string
  let tab: Page

  /** The bundled examples and eight more track events, each in its own file, as a customer's samples come. */
  function writeSamples(): string[] {
    samples = mkdtempSync(join(tmpdir(), 'studio-samples-'))
    const examples = join(ROOT, 'examples', 'events')
    const files = readdirSync(examples).map((name) => {
      writeFileSync(join(samples, name), readFileSync(join(examples, name)))
      return join(samples, name)
    })
    const more = ['Product Clicked', 'Cart Viewed', 'Checkout Started', 'Coupon Applied', 'Product Removed']
    more.push('Promotion Viewed', 'Order Refunded')
    more.forEach((event, i) => {
      const file = join(samples, `${14 + i}-${event.toLowerCase().replace(/ /g, '-')}.json`)
      writeFileSync(file, JSON.stringify({ ...viewedProduct(), event, messageId: `sample-${i}` }))
      files.push(file)
    })
    const order: Record<string, unknown> = { ...orderCompleted(), messageId: 'sample-text-price' }
    ;(order.properties as { products: { price: unknown }[] }).products[1].price = '18.99'
    const file = join(samples, '21-order-completed.json')
    writeFileSync(file, JSON.stringify(order))
    return [...files, file]
  }

  beforeAll(async () => {
    suiteStudio = (await startTestStudio(writeSamples())).studio
    tab = await context.newPage()
    tab.on('dialog', (dialog) => {
      throw new Error(`Unexpected dialog: ${dialog.message()}`)
    })
    await tab.setViewportSize({ width: 1280, height: 900 })
    await tab.goto(suiteStudio.url)
    await waitForText(tab.locator('#summary-line'), /^21 events previewed/)
  }, 60_000)

  afterAll(async () => {
    await tab?.close()
    await suiteStudio?.close()
    if (samples) rmSync(samples, { recursive: true, force: true })
  })

  it('"Save all as expected" says it in one line, the file-by-file lines folded under it', async () => {
    await tab.locator('#save-all-expected').click()
    await waitForText(tab.locator('#suite-summary'), /^Saved 21 expected files in \/\S+\/ \(21 changed\)\.$/)
    expect(await tab.locator('#suite-details').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false)
    expect((await tab.locator('#suite-result').innerText()).trim().split('\n')).toEqual([
      expect.stringMatching(/^Saved 21 expected files/),
      'Details (21 lines)'
    ])
    await tab.locator('#suite-details summary').click()
    expect(await tab.locator('#suite-details pre').innerText()).toMatch(
      /^Wrote \S+01-identify\.expected\.json: 1 event/
    )
    await tab.locator('#suite-details summary').click()
  })

  it('the list shows at least 9 events at 1280 x 900, file names whole, and every cut name in a tooltip', async () => {
    await waitForText(tab.locator('#suite-line'), /21 match expected/)
    const list = await tab.evaluate(() => {
      const column = (document.getElementById('events') as HTMLElement).getBoundingClientRect()
      const rows = Array.from(document.querySelectorAll('#event-list li')).map((li) => li.getBoundingClientRect())
      const spans = Array.from(document.querySelectorAll('#event-list .where, #event-list .label')) as HTMLElement[]
      return {
        visible: rows.filter((r) => r.top >= column.top && r.bottom <= column.bottom).length,
        spans: spans.map((s) => ({ text: s.textContent, title: s.title, cut: s.scrollWidth > s.clientWidth }))
      }
    })
    expect(list.visible).toBeGreaterThanOrEqual(9)
    for (const span of list.spans) expect(span.title).toBe(span.text)
    // A file name of up to 28 characters with its line ("12-engage-audience-exited.json:1" is 32) is not cut.
    const short = list.spans.filter((s) => (s.text ?? '').length <= 28)
    expect(short.length).toBeGreaterThan(15)
    expect(short.filter((s) => s.cut)).toEqual([])
  })

  it("the report lists only the mappings these events need, without the stand-in's key", async () => {
    const [download] = await Promise.all([
      tab.waitForEvent('download'),
      tab.getByRole('button', { name: 'Report (Markdown)' }).click()
    ])
    const report = readFileSync(await download.path(), 'utf8')
    const built = report.slice(report.indexOf("## Event mappings to build in Movable Ink's dashboard"))
    expect(built).not.toContain('local-stand-in')
    expect(built).toMatch(/Not listed: \d+ mappings? of the endpoint file that take none of these events\./)
    const titles = built.match(/^### .*$/gm) ?? []
    expect(titles.length).toBeGreaterThan(3)
    for (const title of titles) expect(title).toMatch(/: takes \d+ events?$/)
    // The Category mapping (5) takes none of these events.
    expect(titles).not.toContainEqual(expect.stringMatching(/^### 5\. /))
    expect(titles).toContainEqual('### 7. Order Completed (schema Conversion): takes 2 events')
  })

  it("checks the types inside a list: a product's price in text is a problem, as a top-level one is", async () => {
    const order = tab.locator('#event-list li', { hasText: '21-order-completed.json' })
    await order.locator('.pick').click()
    await waitForText(order.locator('.badge').first(), /mapped, with problems$/)
    await waitForText(
      tab.locator('#detail'),
      /Products: item 2's price should be a number, but .* gives the string "18\.99"/
    )
  })

  it('a Products difference names the items and keys that differ, whole, and says missing', async () => {
    const order = tab.locator('#event-list li', { hasText: '21-order-completed.json' })
    await waitForText(order.locator('.badge.expect'), /matches expected$/)
    const m = Number(await tab.locator('#mapping-select').inputValue())
    const products = tab.locator(`#input-${m}-0-path`)
    const path = await products.inputValue()
    expect(path).toContain('url: .url')
    await products.fill(path.replace('url: .url', 'url: .link'))
    await waitForText(order.locator('.badge.expect'), /differs from expected$/)
    const differences = await waitForText(tab.locator('#expected .differences'), /Movable Ink field Products/)
    const line = differences.split('\n').find((l) => l.startsWith('Movable Ink field Products')) ?? ''
    for (const n of [1, 2, 3])
      expect(line).toContain(
        `item ${n}, url: expected "https://shop.example.com/products/trail-runner-${n}?utm_source=newsletter&utm_medium=email&utm_campaign=spring", actual missing`
      )
    expect(line).not.toContain('…')
    expect(differences).not.toContain('wrong-type')
    await products.fill(path)
    await waitForText(order.locator('.badge.expect'), /matches expected$/)
  })

  it('refuses a 6 MB paste in MB, naming the limit', async () => {
    await tab.locator('#add-events').evaluate((d) => ((d as HTMLDetailsElement).open = true))
    await tab.locator('#paste').evaluate((t) => {
      ;(t as HTMLTextAreaElement).value = JSON.stringify({ type: 'track', event: 'Big', blob: 'x'.repeat(6_000_000) })
    })
    await tab.getByRole('button', { name: 'Add pasted events' }).click()
    const error = await waitForText(tab.locator('#paste-error'), /5 MB/)
    expect(error).toMatch(/^The paste is 5\.7 MB, over the studio's limit of 5 MB a paste\./)
    expect(error).not.toMatch(/\d{5,}/)
  })
})
