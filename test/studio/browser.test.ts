import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import { chromium } from 'playwright-core'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import type { Studio } from '../../src/studio/server'
import { findChromium } from './chromium'
import { ROOT, startTestStudio, viewedProduct } from './helpers'

/**
 * The studio in a real browser (the system's chromium, else the one npm installed with @sparticuz/chromium;
 * see chromium.ts), driven by playwright-core: the workflow a new user follows, from pasting an event to a 200
 * from the embedded stand-in.
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
    viewport: { width: 1280, height: 1000 }
  })
  page = await context.newPage()
}, 60_000)

afterAll(async () => {
  await context?.close()
  await studio?.close()
  if (profile) rmSync(profile, { recursive: true, force: true })
})

it(`in ${BROWSER.name}: takes a pasted event from unmapped to mapped by editing the match criterion, sends it, exports the report`, async () => {
  await page.goto(studio.url)
  await waitForText(page.locator('#summary-line'), /0 events previewed/)

  await page.getByLabel(/Paste one event/).fill(JSON.stringify(viewedProduct(), null, 2))
  await page.getByRole('button', { name: 'Add pasted events' }).click()
  const row = page.locator('#event-list li', { hasText: 'Viewed Product' })
  await waitForText(row.locator('.badge'), /^unmapped$/)
  await waitForText(page.locator('#detail'), /no event mapping takes this event/)

  await page.locator('#mapping-editor summary', { hasText: 'Product Viewed' }).click()
  const match = page.getByLabel('Match criterion (jq) of Product Viewed')
  await match.fill('.type == "track" and (.event == "Product Viewed" or')
  await waitForText(page.locator('#problem-1-m-match'), /is not valid jq/)
  await match.fill('.type == "track" and (.event == "Product Viewed" or .event == "Viewed Product")')
  await waitForText(row.locator('.badge'), /^mapped$/)
  await waitForText(page.locator('#problem-1-m-match'), /^$/)
  await waitForText(page.locator('#detail h4', { hasText: 'Movable Ink' }), /event mapping "Product Viewed"/)
  const idRow = page.locator('#detail table.fields tr', { hasText: '.properties.product_id' })
  await waitForText(idRow, /ID \(required\).*"sku-42"/s)
  await waitForText(page.locator('#detail pre.request'), /authorization: Basic \[redacted\]/)
  await waitForText(page.locator('#summary-table tbody'), /Viewed Product.*mapped.*Product Viewed/s)

  // The timestamp conversion hint: an ISO 8601 string where Movable Ink wants Unix milliseconds.
  await page.getByLabel('jq path of field 2 of mapping Product Viewed').fill('.timestamp')
  const timestampRow = page.locator('#detail table.fields tr', { hasText: 'Timestamp' })
  await waitForText(timestampRow, /✗.*Hint: converts the ISO 8601 timestamp to Unix milliseconds/s)
  await page.getByRole('button', { name: 'Use this path for Timestamp' }).click()
  await waitForText(timestampRow, /^Timestamp \(required\)\s+\.timestamp \|.*\d{13}\s+✓$/s)

  // Files chosen (or dropped) go the same way as a paste, named after the file.
  const group = JSON.stringify({
    type: 'group',
    groupId: 'g-1',
    userId: 'user-42',
    timestamp: new Date().toISOString()
  })
  await page.setInputFiles('#file-input', {
    name: 'more.jsonl',
    mimeType: 'application/json',
    buffer: Buffer.from(group)
  })
  await waitForText(page.locator('#event-list li', { hasText: 'more.jsonl' }).locator('.badge'), /^unmapped$/)
  await waitForText(page.locator('#summary-line'), /1 of 2 events that would be sent match/)
  await page.getByRole('button', { name: 'group (more.jsonl:1)', exact: true }).click()
  await page.getByRole('button', { name: 'Add a mapping for this event' }).click()
  await waitForText(page.locator('#event-list li', { hasText: 'more.jsonl' }).locator('.badge'), /^mapped$/)
  await waitForText(page.locator('#detail table.fields tr', { hasText: 'UserID' }), /"user-42"/)
  await page.getByRole('button', { name: 'track "Viewed Product" (paste 1:1)', exact: true }).click()
  await waitForText(page.locator('#detail-title'), /Viewed Product.*: mapped$/)

  page.once('dialog', (dialog) => void dialog.accept())
  await page.getByRole('button', { name: /Send the selected event/ }).click()
  await waitForText(page.locator('#send-result'), /sent HTTP 200 from the stand-in/)
  await waitForText(page.locator('#send-result'), /Request id: [0-9a-f-]{36}/)

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export HTML report' }).click()
  ])
  expect(download.suggestedFilename()).toBe('movable-ink-check.html')
  const report = readFileSync(await download.path(), 'utf8')
  expect(report).toContain('<td>track &quot;Viewed Product&quot;</td>')
  expect(report).toMatch(/<td>mapped<\/td><td>Product Viewed<\/td>/)

  mkdirSync(join(ROOT, 'test-output'), { recursive: true })
  await page.screenshot({ path: SCREENSHOT, fullPage: true })
}, 60_000)
