// A Solutions Architect's whole job in the studio, driven step by step through the real page as a person would
// (clicks and keystrokes, no API calls): the streaming customer's 18 sample events (examples/streaming-samples)
// are mapped, six are marked not for Movable Ink, one mapping is fixed, the mappings saved, a test event sent to
// the stand-in, every event saved as expected and the report exported; then the customer's CI command checks
// the suite. It prints each step's time and the actions a person makes in it (docs/studio.md, "Measured"), with
// an estimate of a person's time by the keystroke-level model. After `npm run build`:
//   node scripts/sa-job.js            (uses /usr/bin/chromium, else the Chromium of @sparticuz/chromium)
// It works in a temporary folder, as an SA works in the customer's folder, and removes it at the end.
const { execFileSync, spawn } = require('child_process')
const { cpSync, existsSync, mkdtempSync, rmSync } = require('fs')
const { tmpdir } = require('os')
const { join } = require('path')
const { chromium } = require('playwright-core')

const ROOT = join(__dirname, '..')
const CLI = join(ROOT, 'dist', 'cli', 'main.js')

/**
 * A person's time, estimated: the keystroke-level model's operators (Card, Moran and Newell: point 1.1 s and
 * click 0.2 s, a key 0.28 s for an average typist), and 5 s to read an event's verdict and decide what to do
 * with it (an assumption, not measured: the model's 1.35 s of mental preparation is for a known action).
 */
const PERSON = { click: 1.3, key: 0.28, read: 5 }

async function browserPath() {
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium'
  const { default: packaged } = await import('@sparticuz/chromium')
  return packaged.executablePath()
}

/** The studio command, as an SA starts it in the customer's folder; resolves with its URL. */
function startStudio(cwd) {
  const child = spawn(process.execPath, [CLI, 'studio', 'samples'], { cwd, stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
      const url = /open (http:\/\/\S+)/.exec(out)
      if (url) resolve({ child, url: url[1] })
    })
    child.on('exit', (code) => reject(new Error(`studio exited with ${code}: ${out}`)))
  })
}

const steps = []
/** Times one step of the job and keeps the actions a person makes in it. */
async function step(name, actions, run) {
  const started = Date.now()
  await run()
  steps.push({ name, seconds: (Date.now() - started) / 1000, ...actions })
}

async function waitText(page, selector, pattern, timeout = 30_000) {
  await page.waitForFunction(
    // Runs in the page.
    ([s, source]) => {
      // eslint-disable-next-line no-undef
      const node = document.querySelector(s)
      return node && new RegExp(source).test(node.textContent || '')
    },
    [selector, pattern.source],
    { timeout }
  )
}

const row = (page, file) => page.locator('#event-list li', { hasText: file })

/** Waits until the status badge of the event from `file` matches. */
async function badge(page, file, pattern, timeout = 30_000) {
  const until = Date.now() + timeout
  const node = row(page, file).locator('.badge').first()
  while (!pattern.test(await node.innerText())) {
    if (Date.now() > until) throw new Error(`${file}: ${await node.innerText()}, not ${pattern}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
const upToDate = (page) => waitText(page, '#check-status', /Results up to date/)

async function pick(page, file) {
  await row(page, file).locator('.pick').click()
  await waitText(page, '#detail-title', /\S/)
}

/** One click decides; the reason box has the focus with its placeholder selected, so typing replaces it. */
async function notForMovableInk(page, file, reason) {
  await pick(page, file)
  await page.locator('#decide-not-for').click()
  await badge(page, file, /not for Movable Ink/)
  await page.keyboard.type(reason)
  await upToDate(page)
}

/** "Add a mapping for this event", a schema when not Custom, its guesses confirmed, and fields added by name and path. */
async function addMapping(page, file, { schema, fields = [] }) {
  await pick(page, file)
  await page.getByRole('button', { name: 'Add a mapping for this event' }).click()
  const m = Number(await page.locator('#mapping-select').inputValue())
  if (schema) {
    await page.locator(`#input-${m}-m-schema`).selectOption(schema)
    await waitText(page, '#mapping-editor', /Guessed from the selected event/)
    for (const confirm of await page.locator(`#mapping-editor button[id$="-confirm"]`).all()) await confirm.click()
  }
  for (const [name, path] of fields) {
    await page.locator('#add-field').click()
    const f = (await page.locator('#mapping-editor li.field').count()) - 1
    await page.keyboard.type(name)
    await page.locator(`#input-${m}-${f}-path`).click()
    await page.keyboard.press('Control+A')
    await page.keyboard.type(path)
    await page.keyboard.press('Escape')
  }
  await upToDate(page)
  await badge(page, file, /mapped/)
}

const NOT_FOR = [
  ['08-video-playback-started', 'player telemetry'],
  ['10-video-content-playing', 'heartbeats, no campaign use'],
  ['11-video-playback-paused', 'player telemetry'],
  ['14-application-opened', 'not used in campaigns'],
  ['15-push-notification-received', 'push receipts'],
  ['17-group-household', 'households not personalised']
]
const MAPPINGS = [
  ['02-signed-up', {}],
  ['03-trial-started', { fields: [['TrialEnds', '.properties.trial_end_date']] }],
  ['07-wishlist-added', { schema: 'Product' }],
  ['09-video-content-started', { fields: [['Program', '.properties.program']] }],
  ['12-video-content-completed', { fields: [['Program', '.properties.program']] }]
]
const chars = (list) => list.reduce((n, text) => n + text.length, 0)

async function job(page, url, work) {
  await step('open the page, read the summary and the list', { clicks: 0, keys: 0, reads: 1 }, async () => {
    await page.goto(url)
    await waitText(page, '#summary-line', /18 events previewed/)
  })
  const decided = { clicks: 2 * NOT_FOR.length, keys: chars(NOT_FOR.map((n) => n[1])), reads: NOT_FOR.length }
  await step('mark 6 events not for Movable Ink, each with its reason', decided, async () => {
    for (const [file, reason] of NOT_FOR) await notForMovableInk(page, file, reason)
  })
  const typed = MAPPINGS.flatMap(([, m]) => (m.fields || []).flat())
  const mapped = {
    clicks: 2 * MAPPINGS.length + 2 + 3 * (typed.length / 2),
    keys: chars(typed),
    reads: MAPPINGS.length
  }
  await step('add 5 mappings (one Product schema, 3 fields typed)', mapped, async () => {
    for (const [file, options] of MAPPINGS) await addMapping(page, file, options)
  })
  const fix = 'price: (.price | tonumber)'
  await step("fix Order Completed: a product's price in text", { clicks: 2, keys: fix.length, reads: 1 }, async () => {
    await pick(page, '13-order-completed-subscription')
    const m = Number(await page.locator('#mapping-select').inputValue())
    const products = page.locator(`#input-${m}-0-path`)
    await products.fill((await products.inputValue()).replace('price: .price', fix))
    await upToDate(page)
    await badge(page, '13-order-completed', /✓ mapped/)
  })
  await step('save the mappings', { clicks: 1, keys: 0, reads: 0 }, async () => {
    await page.locator('#save-endpoint').click()
    await waitText(page, '#save-status', /^Saved to /)
  })
  await step('send a test event to the stand-in', { clicks: 2, keys: 0, reads: 1 }, async () => {
    await pick(page, '05-product-viewed-series')
    await page.locator('#send-button').click()
    await waitText(page, '#send-result', /HTTP 200 from the stand-in/)
  })
  await step('save all as expected', { clicks: 1, keys: 0, reads: 0 }, async () => {
    await page.locator('#save-all-expected').click()
    await waitText(page, '#suite-summary', /^Saved 18 expected files/)
  })
  await step('export the report (HTML)', { clicks: 1, keys: 0, reads: 0 }, async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Report (HTML)' }).click()
    ])
    await download.saveAs(join(work, 'movable-ink-check.html'))
  })
  const statuses = await page.locator('#event-list .pick .line:first-child .badge').allInnerTexts()
  return statuses.reduce((counts, s) => ({ ...counts, [s]: (counts[s] || 0) + 1 }), {})
}

function report(statuses, ci) {
  const rows = steps.map((s) => {
    const person = s.clicks * PERSON.click + s.keys * PERSON.key + s.reads * PERSON.read
    return { ...s, person }
  })
  console.log('| step | script (s) | clicks | keys | events read | a person, estimated (s) |')
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
  for (const r of rows)
    console.log(
      `| ${r.name} | ${r.seconds.toFixed(1)} | ${r.clicks} | ${r.keys} | ${r.reads} | ${r.person.toFixed(0)} |`
    )
  const sum = (key) => rows.reduce((n, r) => n + r[key], 0)
  console.log(
    `| total | ${sum('seconds').toFixed(1)} | ${sum('clicks')} | ${sum('keys')} | ${sum('reads')} | ${sum(
      'person'
    ).toFixed(0)} |`
  )
  console.log(`\nThe list at the end: ${JSON.stringify(statuses)}`)
  console.log(`movable-ink test samples --endpoint movable-ink-endpoint.json: ${ci}`)
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'sa-job-'))
  cpSync(join(ROOT, 'examples', 'streaming-samples'), join(work, 'samples'), { recursive: true })
  let studio
  await step('movable-ink studio samples (until its URL)', { clicks: 0, keys: 25, reads: 0 }, async () => {
    studio = await startStudio(work)
  })
  const browser = await chromium.launch({
    executablePath: await browserPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu']
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
    page.on('dialog', (dialog) => dialog.accept())
    const statuses = await job(page, studio.url, work)
    const started = Date.now()
    const out = execFileSync(process.execPath, [CLI, 'test', 'samples', '--endpoint', 'movable-ink-endpoint.json'], {
      cwd: work,
      encoding: 'utf8'
    })
    const ci = `${out.trim().split('\n').pop()} (${((Date.now() - started) / 1000).toFixed(1)} s)`
    report(statuses, ci)
  } finally {
    await browser.close()
    studio.child.kill('SIGINT')
    rmSync(work, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
