import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'fs'
import { once } from 'events'
import { tmpdir } from 'os'
import { join } from 'path'
import { runCoverage } from '../../src/suite/coverageRun'
import type { CoverageReport } from '../../src/suite/coverageReport'
import { presetSubscriptions } from '../../src/runtime/subscriptions'

/**
 * Coverage over a generated export, streamed through worker threads: every count exact. Each count follows from
 * the line number modulo 10, 100 or 1,000, so 50,000 lines prove what 1,000,000 would, in a fraction of the time;
 * `npm run bench:coverage` runs this very file over 1,000,000 lines (COVERAGE_TEST_LINES) after its measurement.
 * Memory and speed with the default endpoint file are the benchmark's (bench/src/coverageBench.ts), not a timed
 * test's. The events are small and the endpoint has two mappings, so that the test spends its time on what it
 * checks (reading, dispatch to the workers, counting, merging) rather than on jq: with the default file's eleven
 * mappings, jq is three quarters of the cost of an event.
 */

const LINES = Number(process.env.COVERAGE_TEST_LINES ?? 50_000)
const dir = mkdtempSync(join(tmpdir(), 'movable-ink-coverage-'))
const endpointFile = join(dir, 'endpoint.json')
writeFileSync(
  endpointFile,
  JSON.stringify({
    endpointKey: 'coverage-test',
    mappings: [
      {
        name: 'Identify',
        schema: 'Identify',
        match: '.type == "identify"',
        fields: [
          { name: 'UserID', path: '.userId', type: 'string', required: true },
          { name: 'AnonymousId', path: '.anonymousId', type: 'string', required: true },
          { name: 'Timestamp', path: '.timestamp', type: 'string', required: true }
        ]
      },
      {
        name: 'Product Viewed',
        schema: 'Product',
        match: '.type == "track" and .event == "Product Viewed"',
        fields: [
          { name: 'ID', path: '.properties.product_id', type: 'string', required: true },
          { name: 'Price', path: '.properties.price', type: 'number' },
          { name: 'Timestamp', path: '.timestamp', type: 'string', required: true }
        ]
      }
    ]
  })
)
const subscriptions = presetSubscriptions()

/** What line i (from 1) holds; the counts below follow from it. */
function lineOf(i: number): string {
  const timestamp = new Date(Date.UTC(2025, 4, 1) + i * 1000).toISOString()
  const userId = `u-${i % 997}`
  if (i % 1000 === 4) return '{"type": "track", "event": "Product Viewed",' // malformed
  if (i % 10 === 0) return JSON.stringify({ type: 'group', groupId: 'g-1', userId, timestamp })
  if (i % 10 === 1)
    return JSON.stringify({
      type: 'identify',
      userId,
      anonymousId: `a-${i}`,
      timestamp,
      traits: { email: 'a@example.com' }
    })
  const properties: Record<string, unknown> = {
    product_id: `p-${i % 13}`,
    price: 9.5,
    name: 'Sock',
    url: 'https://shop.example/p'
  }
  if (i % 10 === 3) delete properties.product_id // a required field missing
  if (i % 100 === 2) return JSON.stringify({ type: 'track', event: 'Product Viewed', userId, properties }) // no timestamp
  return JSON.stringify({ type: 'track', event: 'Product Viewed', userId, timestamp, properties })
}

async function writeExport(file: string, lines: number): Promise<void> {
  const out = createWriteStream(file)
  let chunk: string[] = []
  for (let i = 1; i <= lines; i++) {
    chunk.push(lineOf(i))
    if (chunk.length < 10_000) continue
    if (!out.write(chunk.join('\n') + '\n')) await once(out, 'drain')
    chunk = []
  }
  out.end(chunk.length ? chunk.join('\n') + '\n' : '')
  await once(out, 'finish')
}

function count(lines: number, test: (i: number) => boolean): number {
  let n = 0
  for (let i = 1; i <= lines; i++) if (test(i)) n++
  return n
}

const malformed = (i: number) => i % 1000 === 4
const group = (i: number) => !malformed(i) && i % 10 === 0
const identify = (i: number) => !malformed(i) && i % 10 === 1
const viewed = (i: number) => !malformed(i) && !group(i) && !identify(i)
const noTimestamp = (i: number) => viewed(i) && i % 100 === 2
const noId = (i: number) => viewed(i) && !noTimestamp(i) && i % 10 === 3

const byLabel = (report: CoverageReport, label: string) => report.events.find((g) => g.label === label)

describe(`test --coverage over ${LINES.toLocaleString('en-US')} lines`, () => {
  const file = join(dir, 'export.jsonl')
  let report: CoverageReport

  beforeAll(async () => {
    await writeExport(file, LINES)
    report = await runCoverage({ inputs: [file], endpointFile, subscriptions, workers: 2 })
  }, 600_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads every line and counts each outcome per event name, exactly', () => {
    expect(report.read).toBe(LINES)
    expect(report.evaluated).toBe(LINES)
    expect(report.malformed).toMatchObject({ count: count(LINES, malformed), first: { file, line: 4 } })
    const viewedGroup = byLabel(report, 'track "Product Viewed"')
    expect(viewedGroup).toMatchObject({
      events: { count: count(LINES, viewed) },
      segmentRefused: { count: count(LINES, noTimestamp) },
      problems: { count: count(LINES, noId) },
      useful: { count: count(LINES, (i) => viewed(i) && !noTimestamp(i) && !noId(i)) },
      mapped: [{ mapping: 'Product Viewed', count: { count: count(LINES, (i) => viewed(i) && !noTimestamp(i)) } }]
    })
    expect(viewedGroup?.segmentRules).toEqual([
      expect.objectContaining({
        what: 'timestamp',
        count: { count: count(LINES, noTimestamp), share: expect.any(Number) },
        first: { file, line: 2 }
      })
    ])
    expect(viewedGroup?.reasons).toEqual([
      expect.objectContaining({
        what: 'missing-required: ID',
        first: { file, line: 3 },
        message: expect.stringContaining('ID is required')
      })
    ])
    const id = viewedGroup?.fields.find((f) => f.field === 'ID')
    expect(id).toMatchObject({
      path: '.properties.product_id',
      missing: { count: { count: count(LINES, noId) }, first: { file, line: 3 } }
    })
    expect(byLabel(report, 'group')).toMatchObject({
      events: { count: count(LINES, group) },
      unmapped: { count: count(LINES, group) }
    })
    expect(byLabel(report, 'identify')).toMatchObject({
      useful: { count: count(LINES, identify) },
      mapped: [{ mapping: 'Identify' }]
    })
    expect(report.useful.count).toBe(count(LINES, (i) => identify(i) || (viewed(i) && !noTimestamp(i) && !noId(i))))
  })

  it('with --sample, evaluates about that share, the same lines for the same seed, the true share near its interval', async () => {
    const small = join(dir, 'small.jsonl')
    await writeExport(small, 50_000)
    const sampled = () =>
      runCoverage({ inputs: [small], endpointFile, subscriptions, workers: 0, sample: { rate: 0.1, seed: 7 } })
    const [first, second] = [await sampled(), await sampled()]
    expect(first).toEqual(second)
    expect(first.read).toBe(50_000)
    expect(first.evaluated).toBeGreaterThan(4_500)
    expect(first.evaluated).toBeLessThan(5_500)
    const trueUseful = count(50_000, (i) => identify(i) || (viewed(i) && !noTimestamp(i) && !noId(i))) / 50_000
    // One seed's interval misses the truth one time in twenty (how often: suiteFiles.test.ts); twice its width never
    // should, here.
    const { share, low = 0, high = 1 } = first.useful
    expect(low).toBeLessThan(share)
    expect(high).toBeGreaterThan(share)
    expect(Math.abs(share - trueUseful)).toBeLessThan(high - low)
    expect(first.useful.estimated).toBe(Math.round(first.useful.count / (first.evaluated / first.read)))
  }, 120_000)
})
