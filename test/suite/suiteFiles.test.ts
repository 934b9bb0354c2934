import { mkdirSync, writeFileSync } from 'fs'
import { join } from 'path'
import { estimate } from '../../src/suite/coverageReport'
import { seededRandom } from '../../src/io/seededRandom'
import { expectedFileText, findSamples, readExpectedFile } from '../../src/suite/suiteFiles'
import { SuiteError } from '../../src/suite/suiteTypes'
import { tempDir } from '../tempDir'

const dir = tempDir('movable-ink-suite-')
const write = (name: string, text: string) => {
  const path = join(dir, name)
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, text)
  return path
}

describe('the suite files', () => {
  it('finds the samples of a folder in name order, leaving the expected files out', () => {
    write('a/2-orders.jsonl', '{}\n')
    write('a/1-identify.json', '{}')
    write('a/1-identify.expected.json', '{"events": []}')
    write('a/notes.txt', '')
    expect(findSamples([join(dir, 'a')])).toEqual([
      { path: join(dir, 'a/1-identify.json'), expectedPath: join(dir, 'a/1-identify.expected.json') },
      { path: join(dir, 'a/2-orders.jsonl'), expectedPath: join(dir, 'a/2-orders.expected.json') }
    ])
    expect(findSamples([join(dir, 'a/1-identify.expected.json')])).toEqual([
      { path: join(dir, 'a/1-identify.json'), expectedPath: join(dir, 'a/1-identify.expected.json') }
    ])
  })

  it('refuses what cannot be a suite, saying what to do', () => {
    write('b/x.json', '{}')
    write('b/x.jsonl', '{}')
    expect(() => findSamples([])).toThrow(/No suite given: name one or more folders/)
    expect(() => findSamples(['-'])).toThrow(/cannot be read from stdin/)
    expect(() => findSamples([join(dir, 'nope')])).toThrow(/does not exist/)
    expect(() => findSamples([join(dir, 'b')])).toThrow(/would share the expected file .*x\.expected\.json: rename one/)
    expect(() => findSamples([join(dir, 'b')])).toThrow(SuiteError)
  })

  it('names every mistake of an expected file at once, each with its place', () => {
    const file = write(
      'c.expected.json',
      JSON.stringify({
        events: [
          { line: 0, segment: 'delivered' },
          { event: 'identify', segment: { refused: ['timestmp'] }, extra: 1 },
          { movableInk: { mapping: 3, refused: ['missing: ID'], fields: [] } }
        ]
      })
    )
    const problems: string[] = []
    readExpectedFile(file, problems)
    expect(problems).toEqual([
      `${file}: events[0].line: must be a line number (1 or more)`,
      `${file}: events[0].segment: must be "sent", "not subscribed" or {"refused": [<rule>, ...]}`,
      `${file}: events[1].extra: unknown property (allowed: line, event, segment, movableInk)`,
      `${file}: events[1].segment.refused: "timestmp" is not a rule: use mapping, timestamp, identity, headers, size or runtime:<code>`,
      `${file}: events[2].movableInk.mapping: must be the name of an event mapping, or null for none`,
      `${file}: events[2].movableInk.refused: "missing: ID" is not a refusal reason: use unmapped, not-for-movable-ink, missing-required, wrong-type, jq-error, with ": <field>" for a field's`,
      `${file}: events[2].movableInk.fields: must be an object of field names and their expected values`
    ])
    const broken: string[] = []
    readExpectedFile(write('d.expected.json', '{"events": [}'), broken)
    expect(broken).toEqual([
      expect.stringMatching(/d\.expected\.json: is not valid JSON .*: fix it, or delete it and run with --update\./)
    ])
  })

  it('writes the same text for the same entries: keys in their order, two spaces, a final newline', () => {
    const entries = [{ line: 1, event: 'identify', segment: 'sent' as const }]
    expect(expectedFileText(entries)).toBe(
      '{\n  "events": [\n    {\n      "line": 1,\n      "event": "identify",\n      "segment": "sent"\n    }\n  ]\n}\n'
    )
  })
})

describe('margins of error', () => {
  it('holds the true share in 95% of uniform samples, whatever the seed', () => {
    // 20,000 events of which 3% are refused, sampled at 5% with 400 seeds: about 95% of the intervals hold 3%.
    const population = 20_000
    const refused = (i: number) => i % 100 < 3
    let covered = 0
    for (let seed = 1; seed <= 400; seed++) {
      const keep = seededRandom(seed)
      let [n, x] = [0, 0]
      for (let i = 0; i < population; i++) {
        if (keep() >= 0.05) continue
        n++
        if (refused(i)) x++
      }
      const { low = 0, high = 1 } = estimate(x, n, n / population)
      if (low <= 0.03 && 0.03 <= high) covered++
    }
    expect(covered / 400).toBeGreaterThan(0.92)
    expect(covered / 400).toBeLessThan(0.99)
  })

  it('gives no interval when everything was evaluated', () => {
    expect(estimate(30, 100, 1)).toEqual({ count: 30, share: 0.3 })
  })

  it("gives Wilson's 95% interval, which keeps a width at 0 and narrows as the sample grows", () => {
    const small = estimate(30, 100, 0.001)
    expect(small.low).toBeCloseTo(0.219, 3)
    expect(small.high).toBeCloseTo(0.396, 3)
    expect(small.estimated).toBe(30000)
    const none = estimate(0, 10_000, 0.01)
    expect(none.low).toBe(0)
    expect(none.high).toBeGreaterThan(0.0003)
    const large = estimate(3000, 10_000, 0.01)
    expect((large.high ?? 0) - (large.low ?? 0)).toBeLessThan(0.02)
    // the finite-population correction: sampling half of everything narrows the interval
    const half = estimate(3000, 10_000, 0.5)
    expect((half.high ?? 0) - (half.low ?? 0)).toBeLessThan((large.high ?? 0) - (large.low ?? 0))
  })
})
