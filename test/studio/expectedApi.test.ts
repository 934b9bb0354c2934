import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'fs'
import { tmpdir } from 'os'
import { dirname, join } from 'path'
import type { Studio } from '../../src/studio/server'
import { studioInputs } from '../../src/studio/expectations'
import { runMain } from '../cli/helpers'
import {
  EXAMPLE_ENDPOINT,
  EXAMPLE_SUITE_EVENTS,
  ROOT,
  call,
  saveAsExpected,
  startTestStudio,
  viewedProduct
} from './helpers'
import { tempDir } from '../tempDir'

/**
 * The studio and `movable-ink test` on the same suite: each event compared with its entry in the expected file
 * beside its sample (the suite library's checkEvent), "Save as expected" for one event or all (the suite
 * format, --update's rule and words), pasted events saved into a suite file, the refusals, and the report.
 */

const EXAMPLE_SUITE = join(ROOT, 'examples', 'suite')
const exampleEndpoint = () => JSON.parse(readFileSync(EXAMPLE_ENDPOINT, 'utf8'))

/** The example mappings with Product Viewed's ID taken from the SKU: its event no longer matches its entry. */
function skuEndpoint() {
  const endpoint = exampleEndpoint()
  const mapping = endpoint.mappings.find((m: { name: string }) => m.name === 'Product Viewed')
  mapping.fields.find((f: { name: string }) => f.name === 'ID').path = '.properties.sku'
  return endpoint
}

/** A copy of the example suite in a folder of its own. */
function copySuite(): string {
  const suite = join(tempDir('studio-suite-'), 'suite')
  cpSync(EXAMPLE_SUITE, suite, { recursive: true })
  return suite
}

function writeEndpoint(endpoint: unknown): string {
  const file = join(tempDir('studio-endpoint-'), 'endpoint.json')
  writeFileSync(file, JSON.stringify(endpoint, null, 2))
  return file
}

const entries = (file: string) => JSON.parse(readFileSync(file, 'utf8')).events

const saveExpected = saveAsExpected
const verdicts = (studio: Studio, endpoint: unknown) => call(studio, 'POST', '/api/verdicts', { body: { endpoint } })
const detail = (studio: Studio, id: number, endpoint: unknown) =>
  call(studio, 'POST', '/api/detail', { body: { id, endpoint } })

describe('a suite folder in the studio', () => {
  let studio: Studio
  let suite: string
  beforeAll(async () => {
    suite = copySuite()
    studio = (await startTestStudio(studioInputs([suite]).files)).studio
  })
  afterAll(() => studio.close())

  it("loads the samples' events, not the expected files, and each matches its expectation", async () => {
    const state = await call(studio, 'GET', '/api/state')
    expect(state.json.events.map((e: { where: string }) => e.where)).toEqual(EXAMPLE_SUITE_EVENTS)
    expect(state.json.events[0].sample).toBe(join(suite, 'checkout.jsonl'))
    expect(state.json.suite).toEqual({ pastedFile: 'movable-ink-suite/pasted.jsonl', workDir: expect.any(String) })
    const { json } = await verdicts(studio, exampleEndpoint())
    expect(json.suite).toEqual({
      states: 'mmmmmm',
      line: '6 match expected, 0 differ from expected, 0 without expectation',
      matched: 6,
      differ: 0,
      none: 0,
      leftovers: [],
      // What the states come from, for a save to send back: each sample and expected file's version.
      versions: expect.objectContaining({
        [join(suite, 'checkout.jsonl')]: expect.stringMatching(/^[0-9a-f]{32}$/),
        [join(suite, 'checkout.expected.json')]: expect.stringMatching(/^[0-9a-f]{32}$/)
      })
    })
    expect(Object.keys(json.suite.versions)).toHaveLength(8)
    const one = await detail(studio, 1, exampleEndpoint())
    expect(one.json.suite).toMatchObject({
      state: 'matches',
      expectedFile: join(suite, 'checkout.expected.json'),
      entry: 1,
      expectation: entries(join(suite, 'checkout.expected.json'))[0],
      differences: []
    })
  })

  it("says an edited mapping's event differs, in the words movable-ink test prints, one letter per event after the edit", async () => {
    const { json, text } = await verdicts(studio, skuEndpoint())
    expect(json.suite).toMatchObject({ states: 'dmmmmm', matched: 5, differ: 1, none: 0 })
    expect(json.suite.line).toBe('5 match expected, 1 differs from expected, 0 without expectation')
    // Differences travel with the selected event's detail only: the answer per edit stays small.
    expect(text).not.toContain('SHOE-RUN-42')
    expect(json.rows.map((r: { group: number }) => r.group)).toEqual([1, 2, 3, 4, 5, 6])
    const one = await detail(studio, 1, skuEndpoint())
    const line = 'Movable Ink field ID (.properties.sku): expected "507f1f77bcf86cd799439011", actual "SHOE-RUN-42"'
    expect(one.json.suite).toMatchObject({
      state: 'differs',
      differences: [{ what: 'movableInk.fields.ID', text: line }]
    })
    const printed = await runMain(['test', suite, '--endpoint', writeEndpoint(skuEndpoint())])
    expect(printed.code).toBe(1)
    expect(printed.stdout).toContain(`✗ ${join(suite, 'checkout.jsonl')}:1  track "Product Viewed"\n    ${line}\n`)
  })

  it('saves one event as expected: its entry only, said as movable-ink test --update says it; then it matches', async () => {
    const file = join(suite, 'checkout.expected.json')
    const before = entries(file)
    const { status, json } = await saveExpected(studio, { endpoint: skuEndpoint(), id: 1 })
    expect(status).toBe(200)
    expect(json).toEqual({
      lines: [
        `Updated ${file}: 1 event`,
        '  1  track "Product Viewed"',
        '    Movable Ink field ID (.properties.sku): was "507f1f77bcf86cd799439011", now "SHOE-RUN-42"'
      ],
      summary: `Saved 1 expected file in ${dirname(file)}/ (1 changed).`,
      written: [file],
      moved: [],
      versions: { [file]: expect.stringMatching(/^[0-9a-f]{32}$/) }
    })
    const after = entries(file)
    expect(after[0].movableInk.fields.ID).toBe('SHOE-RUN-42')
    expect(after.slice(1)).toEqual(before.slice(1))
    expect((await verdicts(studio, skuEndpoint())).json.suite.states).toBe('mmmmmm')
    const printed = await runMain(['test', suite, '--endpoint', writeEndpoint(skuEndpoint())])
    expect(printed.stdout).toContain('6 passed, 0 failed')
    const again = await saveExpected(studio, { endpoint: skuEndpoint(), id: 1 })
    expect(again.json.lines).toEqual([`track "Product Viewed" already matches its entry in ${file}: nothing written.`])
    expect(again.json.written).toEqual([])
  })

  it('refuses to save while the mappings have mistakes, and writes nothing', async () => {
    const file = join(suite, 'checkout.expected.json')
    const before = readFileSync(file, 'utf8')
    const endpoint = skuEndpoint()
    endpoint.mappings[1].fields[0].path = '.properties | ]'
    for (const body of [
      { endpoint, id: 2 },
      { endpoint, all: true }
    ]) {
      const answer = await saveExpected(studio, body)
      expect(answer.status).toBe(422)
      expect(answer.json.error).toMatch(/^The event mappings have 1 problem/)
      expect(answer.json.problems[0]).toMatchObject({ mapping: 1, field: 0, property: 'path' })
    }
    expect(readFileSync(file, 'utf8')).toBe(before)
  })

  it('exports the suite result in the report: the counts and each difference, with no local path', async () => {
    const endpoint = exampleEndpoint() // the saved entry now holds the SKU: with the example mappings it differs
    const html = await call(studio, 'POST', '/api/export', { body: { endpoint, format: 'html' } })
    expect(html.text).toContain('<h2>Against the expected results (movable-ink test)</h2>')
    expect(html.text).toContain('5 match expected, 1 differs from expected, 0 without expectation.')
    expect(html.text).toContain(
      'Movable Ink field ID (.properties.product_id): expected &quot;SHOE-RUN-42&quot;, actual &quot;507f1f77bcf86cd799439011&quot;'
    )
    const md = await call(studio, 'POST', '/api/export', { body: { endpoint, format: 'md' } })
    expect(md.text).toContain(
      [
        '## Against the expected results (movable-ink test)',
        '',
        '5 match expected, 1 differs from expected, 0 without expectation.',
        '',
        '### track "Product Viewed" (checkout.jsonl:1): differs from expected',
        '',
        '- Movable Ink field ID (.properties.product_id): expected "SHOE-RUN-42", actual "507f1f77bcf86cd799439011"'
      ].join('\n')
    )
    for (const text of [html.text, md.text]) expect(text).not.toContain(suite)
  })
})

describe('"Save all as expected" is movable-ink test --update', () => {
  it('writes the same expected files, byte for byte, and says the same of them', async () => {
    const [mine, theirs] = [copySuite(), copySuite()]
    // An entry past the sample's last event, which --update removes, and two changed mappings.
    for (const suite of [mine, theirs]) {
      const file = join(suite, 'identify.expected.json')
      const list = entries(file)
      writeFileSync(file, JSON.stringify({ events: [...list, { line: 2, event: 'identify' }] }, null, 2) + '\n')
    }
    const endpoint = skuEndpoint()
    endpoint.mappings.find((m: { name: string }) => m.name === 'Product Added').fields[0].path = '.properties.sku'
    const { studio } = await startTestStudio(studioInputs([mine]).files)
    try {
      const left = (await verdicts(studio, endpoint)).json.suite
      expect(left).toMatchObject({ states: 'ddmmmm', leftovers: [expect.stringMatching(/^identify\.json: entry 2 /)] })
      expect(left.line).toBe(
        '4 match expected, 2 differ from expected, 0 without expectation, 1 entry of expected files without an event'
      )
      const { status, json } = await saveExpected(studio, { endpoint, all: true })
      expect(status).toBe(200)
      const cli = await runMain(['test', theirs, '--endpoint', writeEndpoint(endpoint), '--update'])
      expect(cli.code).toBe(0)
      for (const name of readdirSync(mine).filter((n) => n.endsWith('.expected.json')))
        expect({ name, text: readFileSync(join(mine, name), 'utf8') }).toEqual({
          name,
          text: readFileSync(join(theirs, name), 'utf8')
        })
      // What --update says it wrote: from its first line about a file to its closing line.
      const printed = cli.stdout.split('\n')
      const from = printed.findIndex((l) => /^(Updated|Wrote) /.test(l))
      const to = printed.findIndex((l) => / before the update; /.test(l))
      expect(json.lines.map((l: string) => l.split(mine).join(theirs))).toEqual(printed.slice(from, to))
      expect(json.lines).toContain(`Updated ${join(mine, 'identify.expected.json')}: 0 events, 1 entry removed`)
      expect(json.written).toEqual([join(mine, 'checkout.expected.json'), join(mine, 'identify.expected.json')])
      expect((await verdicts(studio, endpoint)).json.suite).toMatchObject({ states: 'mmmmmm', leftovers: [] })
    } finally {
      await studio.close()
    }
  })

  it('leaves alone the samples whose events were cleared from the studio', async () => {
    const suite = copySuite()
    const file = join(suite, 'identify.expected.json')
    writeFileSync(file, JSON.stringify({ events: [...entries(file), { line: 2 }] }, null, 2) + '\n')
    const before = readFileSync(file, 'utf8')
    const { studio } = await startTestStudio(studioInputs([suite]).files)
    try {
      expect((await verdicts(studio, exampleEndpoint())).json.suite.leftovers).toHaveLength(1)
      await call(studio, 'DELETE', '/api/events/5') // identify.json's only event
      expect((await verdicts(studio, exampleEndpoint())).json.suite).toMatchObject({ states: 'mmmmm', leftovers: [] })
      const { json } = await saveExpected(studio, { endpoint: exampleEndpoint(), all: true })
      expect(json.lines).toEqual(['Every expected file already holds what was found: nothing written.'])
      expect(readFileSync(file, 'utf8')).toBe(before)
      await call(studio, 'DELETE', '/api/events')
      const none = await saveExpected(studio, { endpoint: exampleEndpoint(), all: true })
      expect(none.json.error).toMatch(/there are no events to save/)
    } finally {
      await studio.close()
    }
  })
})

describe('saving events without expected files, and pasted ones', () => {
  it('gives the events before the saved one an entry too (entries go by position), and refuses when one was removed', async () => {
    const dir = tempDir('studio-samples-')
    cpSync(join(EXAMPLE_SUITE, 'checkout.jsonl'), join(dir, 'checkout.jsonl'))
    const { studio } = await startTestStudio([join(dir, 'checkout.jsonl')])
    try {
      expect((await verdicts(studio, exampleEndpoint())).json.suite.states).toBe('nnn')
      const { json } = await saveExpected(studio, { endpoint: exampleEndpoint(), id: 2 })
      const file = join(dir, 'checkout.expected.json')
      expect(json.lines).toEqual([`Wrote ${file}: 2 events`])
      expect(entries(file).map((e: { line: number; event: string }) => [e.line, e.event])).toEqual([
        [1, 'track "Product Viewed"'],
        [2, 'track "Product Added"']
      ])
      expect((await verdicts(studio, exampleEndpoint())).json.suite.states).toBe('mmn')
      // Without the second event in the studio, the third cannot have its entry where it belongs.
      writeFileSync(file, JSON.stringify({ events: [entries(file)[0]] }))
      const other = await startTestStudio([join(dir, 'checkout.jsonl')])
      try {
        await call(other.studio, 'DELETE', '/api/events/2')
        const refused = await saveExpected(other.studio, { endpoint: exampleEndpoint(), id: 3 })
        expect(refused.status).toBe(400)
        expect(refused.json.error).toMatch(
          /checkout\.jsonl:2 has no entry in .*checkout\.expected\.json, and it was removed from the studio/
        )
        expect(entries(file)).toHaveLength(1)
      } finally {
        await other.studio.close()
      }
    } finally {
      await studio.close()
    }
  })

  it('adds pasted events to the suite file named (by default in the working folder), keeping their digits, and they are sample events from then on', async () => {
    const { studio, dir } = await startTestStudio()
    try {
      await call(studio, 'POST', '/api/events', { body: { text: JSON.stringify(viewedProduct()) } })
      const state = await call(studio, 'GET', '/api/state')
      const target = join(dir, 'movable-ink-suite', 'pasted.jsonl')
      expect(state.json.suite).toEqual({ pastedFile: 'movable-ink-suite/pasted.jsonl', workDir: dir })
      expect(state.json.events[0].sample).toBeUndefined()
      const endpoint = exampleEndpoint()
      expect((await detail(studio, 1, endpoint)).json.suite).toEqual({ state: 'none', differences: [] })
      const expected = join(dir, 'movable-ink-suite', 'pasted.expected.json')
      const first = await saveExpected(studio, { endpoint, id: 1, path: target })
      expect(first.json).toEqual({
        lines: [`Wrote 1 pasted event in ${target} (line 1), a new sample file.`, `Wrote ${expected}: 1 event`],
        summary:
          'Saved 1 expected file in movable-ink-suite/ (1 changed); added 1 pasted event to movable-ink-suite/pasted.jsonl.',
        written: [target, expected],
        moved: [{ id: 1, where: 'pasted.jsonl:1', label: 'track "Viewed Product"', sample: target }],
        versions: { [target]: expect.any(String), [expected]: expect.any(String) }
      })
      expect(entries(expected)).toEqual([
        {
          line: 1,
          event: 'track "Viewed Product"',
          segment: 'sent',
          movableInk: { mapping: null, refused: ['unmapped'] }
        }
      ])
      expect((await verdicts(studio, endpoint)).json.suite.states).toBe('m')
      // A second paste goes after it; an integer beyond 2^53 keeps the digits it was pasted with.
      const big = JSON.stringify({ ...viewedProduct(), event: 'Product Viewed' }).replace(
        '"properties":{',
        '"properties":{"order_id":12345678901234567890,'
      )
      await call(studio, 'POST', '/api/events', { body: { text: `[${big}, {"type": oops}]` } })
      const all = await saveExpected(studio, { endpoint, all: true, path: 'movable-ink-suite/pasted.jsonl' })
      expect(all.json.lines).toEqual([
        `Added 1 pasted event to ${target} (line 2).`,
        `Updated ${expected}: 1 event`,
        '  2  track "Product Viewed"',
        '    new entry',
        '1 pasted piece that is not an event left out.'
      ])
      expect(all.json.moved).toEqual([expect.objectContaining({ id: 2, where: 'pasted.jsonl:2', sample: target })])
      expect(readFileSync(target, 'utf8').split('\n')[1]).toContain('"order_id":12345678901234567890,')
      expect((await verdicts(studio, endpoint)).json.suite.states).toBe('mmn')
      const printed = await runMain(['test', target])
      expect(printed.stdout).toContain('2 passed, 0 failed')
    } finally {
      await studio.close()
    }
  })
})

describe('what "Save as expected" refuses', () => {
  let studio: Studio
  let dir: string
  const endpoint = exampleEndpoint()
  beforeAll(async () => {
    ;({ studio, dir } = await startTestStudio([join(ROOT, 'examples', 'events', '04-product-viewed.json')]))
    await call(studio, 'POST', '/api/events', { body: { text: `${JSON.stringify(viewedProduct())}\n{"type": oops}` } })
  })
  afterAll(() => studio.close())

  it.each([
    [
      'a folder outside the working folder',
      '../elsewhere.jsonl',
      /is outside the working folder .* save the suite under one of them/
    ],
    ['an absolute path elsewhere', join(tmpdir(), 'x.jsonl'), /is outside the working folder/],
    [
      'the bundled examples',
      join(ROOT, 'examples', 'suite', 'pasted.jsonl'),
      /among the bundled examples, which the studio never changes/
    ],
    ['a file that is not JSON Lines', 'pasted.json', /must be a JSON Lines sample file \(\.jsonl or \.ndjson\)/],
    ['an expected file', 'pasted.expected.json', /must be a JSON Lines sample file/],
    ['no file at all', '  ', /name the suite file for pasted events/]
  ])('refuses a suite file for pasted events in %s', async (_what, path, message) => {
    const answer = await saveExpected(studio, { endpoint, id: 2, path })
    expect(answer.status).toBe(400)
    expect(answer.json.error).toMatch(message)
    expect(readdirSync(dir)).toEqual(['endpoint.json'])
  })

  it('never writes beside the bundled examples', async () => {
    const answer = await saveExpected(studio, { endpoint, id: 1 })
    expect(answer.status).toBe(400)
    expect(answer.json.error).toMatch(
      /^Not saved as expected: .*examples\/events\/04-product-viewed\.json is among the bundled examples, which the studio never changes: copy the folder and open the copy \(cp -r /
    )
    expect(existsSync(join(ROOT, 'examples', 'events', '04-product-viewed.expected.json'))).toBe(false)
    const all = await saveExpected(studio, { endpoint, all: true, path: 'suite.jsonl' })
    expect(all.status).toBe(400)
    expect(readdirSync(dir)).toEqual(['endpoint.json'])
  })

  it('refuses what is not an event, unknown events, and requests that do not say what to save', async () => {
    const malformed = await saveExpected(studio, { endpoint, id: 3, path: 'suite.jsonl' })
    expect(malformed.status).toBe(400)
    expect(malformed.json.error).toMatch(/paste 1:2 is not an event \(not valid JSON/)
    expect((await saveExpected(studio, { endpoint, id: 99 })).status).toBe(404)
    for (const body of [
      { endpoint },
      { endpoint, id: 1, all: true },
      { endpoint, id: '1' },
      { endpoint, all: true, path: 5 }
    ]) {
      const answer = await saveExpected(studio, body)
      expect(answer.status).toBe(400)
      expect(answer.json.error).toMatch(/"id"|"path"/)
    }
    expect((await saveExpected(studio, { id: 1 })).json.error).toMatch(/"endpoint" is missing/)
    expect((await call(studio, 'GET', '/api/expected')).status).toBe(405)
  })

  it('refuses to save when there are no events', async () => {
    const empty = await startTestStudio()
    try {
      const answer = await saveExpected(empty.studio, { endpoint, all: true })
      expect(answer.status).toBe(400)
      expect(answer.json.error).toBe(
        'Not saved as expected: there are no events to save: add events (or load sample files) first.'
      )
    } finally {
      await empty.studio.close()
    }
  })

  it("refuses a sample file with a line that is not an event, in the suite's words, and one whose expected file lacks entries", async () => {
    const folder = tempDir('studio-broken-')
    const sample = join(folder, 'orders.jsonl')
    writeFileSync(sample, `${JSON.stringify(viewedProduct())}\n{"type": oops}\n`)
    const broken = await startTestStudio([sample])
    try {
      const answer = await saveExpected(broken.studio, { endpoint, id: 1 })
      expect(answer.status).toBe(400)
      expect(answer.json.error).toMatch(
        /orders\.jsonl:2: is not an event \(not valid JSON .*\): fix the sample or remove it\.$/
      )
      expect(existsSync(join(folder, 'orders.expected.json'))).toBe(false)
      // Pasted events cannot go after events that have no entries.
      writeFileSync(sample, `${JSON.stringify(viewedProduct())}\n`)
      await call(broken.studio, 'POST', '/api/events', { body: { text: JSON.stringify(viewedProduct()) } })
      // (The file changed since the studio read it: past that conflict, the save still finds no entries.)
      const appended = await saveExpected(broken.studio, { endpoint, id: 3, path: sample, overwrite: true })
      expect(appended.status).toBe(400)
      expect(appended.json.error).toMatch(/orders\.jsonl holds 1 event and .*orders\.expected\.json 0 entries/)
      expect(readFileSync(sample, 'utf8').split('\n')).toHaveLength(2)
    } finally {
      await broken.studio.close()
    }
  })

  it('refuses to start on an expected file that is not the format, every mistake at once, as movable-ink test does', async () => {
    const suite = copySuite()
    writeFileSync(join(suite, 'group.expected.json'), JSON.stringify({ events: [{ segment: 'delivered', extra: 1 }] }))
    await expect(startTestStudio(studioInputs([suite]).files)).rejects.toThrow(
      /group\.expected\.json: events\[0\]\.extra: unknown property[^]*group\.expected\.json: events\[0\]\.segment: must be "sent"/
    )
  })

  it('compares nothing, and saves nothing, with several subscriptions (movable-ink test takes one)', async () => {
    const preset = (await import('../../src/runtime/subscriptions')).presetSubscriptions()[0]
    const two = [preset, { ...preset, name: 'Tracks only', subscribe: 'type = "track"' }]
    const { studio: several } = await startTestStudio(studioInputs([copySuite()]).files, {}, { subscriptions: two })
    try {
      const state = await call(several, 'GET', '/api/state')
      expect(state.json.suite.off).toMatch(/2 subscriptions, and movable-ink test takes each event through one/)
      const { json } = await verdicts(several, endpoint)
      expect(json.suite).toMatchObject({ states: 'nnnnnn', off: state.json.suite.off, line: state.json.suite.off })
      const answer = await saveExpected(several, { endpoint, all: true })
      expect(answer.status).toBe(400)
      expect(answer.json.error).toMatch(/2 subscriptions/)
    } finally {
      await several.close()
    }
  })
})

describe('"Save as expected" is conditional: a file changed since the page read it is not replaced', () => {
  const file = (suite: string, name: string) => join(suite, `${name}.expected.json`)
  const NAMES = ['checkout', 'group', 'identify', 'signed-up-without-timestamp']
  const texts = (suite: string) => NAMES.map((name) => readFileSync(file(suite, name), 'utf8'))

  /** A studio on a copy of the example suite, closed after `use`. */
  async function onSuite(use: (studio: Studio, suite: string) => Promise<void>): Promise<void> {
    const suite = copySuite()
    const { studio } = await startTestStudio(studioInputs([suite]).files)
    try {
      await use(studio, suite)
    } finally {
      await studio.close()
    }
  }

  /** checkout's expected file as an editor (or movable-ink test --update) left it: its first entry's ID changed. */
  function editElsewhere(suite: string): string {
    const list = entries(file(suite, 'checkout'))
    list[0].movableInk.fields.ID = 'EDITED-ELSEWHERE'
    const text = JSON.stringify({ events: list }, null, 2) + '\n'
    writeFileSync(file(suite, 'checkout'), text)
    return text
  }

  it('refuses one event and all with 409 naming the file, writes nothing; a reload shows the file, and then it saves', () =>
    onSuite(async (studio, suite) => {
      const { versions } = (await verdicts(studio, skuEndpoint())).json.suite
      const edited = editElsewhere(suite)
      const before = texts(suite)
      for (const which of [{ id: 1 }, { id: 2 }, { all: true }]) {
        const answer = await saveExpected(studio, { endpoint: skuEndpoint(), ...which, versions })
        expect(answer.status).toBe(409)
        expect(answer.json).toEqual({
          error: `Not saved as expected: ${file(
            suite,
            'checkout'
          )} changed since this page read it (edited elsewhere, or saved from another tab). Reload to see what is there now, or save again to overwrite it.`,
          conflict: true,
          files: [file(suite, 'checkout')]
        })
        // All or nothing: the other expected files, which had not changed, are not written either.
        expect(texts(suite)).toEqual(before)
      }
      // An event of another file saves: its file is as the page read it.
      const other = await saveExpected(studio, { endpoint: exampleEndpoint(), id: 5, versions })
      expect(other.status).toBe(200)
      // Until the page reloads, it still shows what it read; the reload reads the file again.
      expect((await verdicts(studio, exampleEndpoint())).json.suite.states).toBe('mmmmmm')
      await call(studio, 'GET', '/api/state')
      const reloaded = (await verdicts(studio, exampleEndpoint())).json.suite
      expect(reloaded.states).toBe('dmmmmm')
      expect((await detail(studio, 1, exampleEndpoint())).json.suite.expectation.movableInk.fields.ID).toBe(
        'EDITED-ELSEWHERE'
      )
      expect(readFileSync(file(suite, 'checkout'), 'utf8')).toBe(edited)
      const saved = await saveExpected(studio, { endpoint: skuEndpoint(), id: 1, versions: reloaded.versions })
      expect(saved.status).toBe(200)
      expect(entries(file(suite, 'checkout'))[0].movableInk.fields.ID).toBe('SHOE-RUN-42')
      expect(saved.json.versions[file(suite, 'checkout')]).toBe(
        (await verdicts(studio, skuEndpoint())).json.suite.versions[file(suite, 'checkout')]
      )
    }))

  it('overwrites when the page says so', () =>
    onSuite(async (studio, suite) => {
      const { versions } = (await verdicts(studio, skuEndpoint())).json.suite
      editElsewhere(suite)
      expect((await saveExpected(studio, { endpoint: skuEndpoint(), all: true, versions })).status).toBe(409)
      const answer = await saveExpected(studio, { endpoint: skuEndpoint(), all: true, overwrite: true })
      expect(answer.status).toBe(200)
      expect(entries(file(suite, 'checkout'))[0].movableInk.fields.ID).toBe('SHOE-RUN-42')
    }))

  it('keeps two tabs from undoing each other: the second save of what the first changed is refused', () =>
    onSuite(async (studio, suite) => {
      const { versions } = (await verdicts(studio, skuEndpoint())).json.suite
      expect((await saveExpected(studio, { endpoint: skuEndpoint(), id: 1, versions })).status).toBe(200)
      const second = await saveExpected(studio, { endpoint: exampleEndpoint(), all: true, versions })
      expect(second.status).toBe(409)
      expect(second.json.files).toEqual([file(suite, 'checkout')])
      expect(entries(file(suite, 'checkout'))[0].movableInk.fields.ID).toBe('SHOE-RUN-42')
    }))

  it('refuses pasted events for a loaded suite file that changed since the studio read it', async () => {
    const dir = tempDir('studio-samples-')
    const sample = join(dir, 'orders.jsonl')
    writeFileSync(sample, `${JSON.stringify(viewedProduct())}\n`)
    const { studio } = await startTestStudio([sample])
    try {
      expect((await saveExpected(studio, { endpoint: exampleEndpoint(), id: 1 })).status).toBe(200)
      await call(studio, 'POST', '/api/events', { body: { text: JSON.stringify(viewedProduct()) } })
      const { versions } = (await verdicts(studio, exampleEndpoint())).json.suite
      const before = `${readFileSync(sample, 'utf8')}${JSON.stringify(viewedProduct())}\n`
      writeFileSync(sample, before)
      const answer = await saveExpected(studio, { endpoint: exampleEndpoint(), id: 2, path: sample, versions })
      expect(answer.status).toBe(409)
      expect(answer.json.files).toEqual([sample])
      expect(readFileSync(sample, 'utf8')).toBe(before)
    } finally {
      await studio.close()
    }
  })

  it('asks for the versions read (428), and refuses versions that are not', () =>
    onSuite(async (studio) => {
      const none = await call(studio, 'POST', '/api/expected', { body: { endpoint: exampleEndpoint(), all: true } })
      expect(none.status).toBe(428)
      expect(none.json.error).toContain('"overwrite": true')
      const bad = await saveExpected(studio, { endpoint: exampleEndpoint(), all: true, versions: { a: 1 } })
      expect(bad.status).toBe(400)
      expect(bad.json.error).toMatch(/^"versions" must map each file/)
    }))
})
