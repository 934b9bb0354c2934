/**
 * The benchmark's pure parts and the shape of bench/results.json, from a tiny in-process run: no receiver,
 * no child processes, no timing assertions.
 */
import { createHash } from 'crypto'
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'fs'
import os from 'os'
import path from 'path'
import { computeRatios, pairedRatio, summarizeContender } from '../../bench/src/contenderFigures'
import { median, percentile, roundOrder } from '../../bench/src/stats'
import { writeResults } from '../../bench/src/results'
import type { Results, RoundFigures } from '../../bench/src/results'
import { computeCostSplit, evaluateTargets } from '../../bench/src/targets'
import { formatTables } from '../../bench/src/tables'
import { eventLines, makeEvents } from '../../bench/src/events'
import { GENERATOR_VERSION, ensureJsonl } from '../../bench/src/jsonl'
import { runRound } from '../../bench/src/runRound'
import { DESTINATION_SOURCE_DIR } from '../../bench/src/builtDestination'
import { PRESET_SUBSCRIBE, presetSettings } from '../../bench/src/runtimeSettings'
import { parseArgs } from '../../bench/src/options'
import { DEFAULT_RESULTS_FILE } from '../../bench/src/paths'
import { SEND_ENTIRE_EVENT_SUBSCRIPTION } from '../../src/destinations/movable-ink'
import reference from '@segment/action-destinations/dist/destinations/movable-ink'
import { prepareEvent } from '../../src/destinations/movable-ink/prepareEvent'

function rounds(eps: number[]): RoundFigures[] {
  return eps.map((eventsPerSecond, i) => ({
    round: i + 1,
    events: eventsPerSecond * 2,
    requests: eventsPerSecond * 2,
    failed: 0,
    elapsedMs: 2000,
    eventsPerSecond,
    p50Ms: 5 + i,
    p99Ms: 20 + i,
    cpuUsPerEvent: 1e6 / eventsPerSecond
  }))
}

describe('options', () => {
  it('default to the full run, and --quick to the CI-sized one', () => {
    expect(parseArgs([])).toMatchObject({ rounds: 7, seconds: 3, poolSize: 10_000, sendEvents: 1_000_000 })
    expect(parseArgs(['--quick'])).toMatchObject({ quick: true, rounds: 3, seconds: 1, warmupSeconds: 0.5 })
    expect(parseArgs(['--quick', '--rounds=5', '--seconds', '2'])).toMatchObject({ rounds: 5, seconds: 2 })
    expect(parseArgs([]).out).toBe(DEFAULT_RESULTS_FILE)
  })

  it('pick contenders and receivers, and refuse what they do not know', () => {
    expect(parseArgs([]).only).toEqual(['reference', 'project', 'batched', 'limit', 'client'])
    expect(parseArgs(['--only', 'limit,project']).only).toEqual(['limit', 'project'])
    expect(parseArgs(['--send-only'])).toMatchObject({ only: [], rounds: 0 })
    expect(parseArgs(['--node-flags', '--max-semi-space-size=64 --no-opt']).nodeFlags).toEqual([
      '--max-semi-space-size=64',
      '--no-opt'
    ])
    expect(() => parseArgs(['--only', 'fastest'])).toThrow('unknown contender fastest')
    expect(() => parseArgs(['--receiver', 'http'])).toThrow('--receiver is minimal or cli')
    expect(() => parseArgs(['--rounds', '-1'])).toThrow('--rounds needs a number')
  })

  it('--backfill-only runs the batched contender and the backfill, nothing else of jq', () => {
    expect(parseArgs(['--backfill-only'])).toMatchObject({
      only: ['batched'],
      skipMovableInk: true,
      backfill: { only: true, skip: false, gzip: false }
    })
    expect(parseArgs(['--skip-backfill', '--backfill-gzip']).backfill).toEqual({ skip: true, only: false, gzip: true })
  })
})

describe('percentile and median', () => {
  it('uses the nearest rank', () => {
    const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10]
    expect(percentile(values, 50)).toBe(5)
    expect(percentile(values, 99)).toBe(10)
    expect(percentile(values, 0)).toBe(1)
    expect(percentile(values, 100)).toBe(10)
    expect(percentile([42], 99)).toBe(42)
    expect(percentile([], 50)).toBeNaN()
    expect(values).toEqual([5, 1, 4, 2, 3, 6, 7, 8, 9, 10])
  })

  it('takes the middle, or the mean of the two middles', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNaN()
  })
})

describe('ratios', () => {
  it('pairs rounds and takes the median of the per-round ratios', () => {
    // per round: 2, 1, 3 => median 2 (the ratio of medians would be 1.5)
    expect(pairedRatio(rounds([200, 300, 600]), rounds([100, 300, 200]))).toBe(2)
    expect(pairedRatio(undefined, rounds([1]))).toBeNull()
    expect(pairedRatio(rounds([1]), [])).toBeNull()
  })

  it('rotates the contender order every round', () => {
    expect(roundOrder(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c'])
    expect(roundOrder(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a'])
    expect(roundOrder(['a', 'b', 'c'], 4)).toEqual(['b', 'c', 'a'])
  })
})

describe('the destination the contenders load from dist/', () => {
  it('is the build of a source folder that exists (its type import alone would not fail at run time)', () => {
    expect(existsSync(path.join(DESTINATION_SOURCE_DIR, 'index.ts'))).toBe(true)
  })
})

describe("the runtime contenders' settings", () => {
  it("subscribe as both destinations' preset does", () => {
    expect(reference.presets?.map((preset) => preset.type === 'automatic' && preset.subscribe)).toEqual([
      PRESET_SUBSCRIBE
    ])
    expect(SEND_ENTIRE_EVENT_SUBSCRIPTION).toBe(PRESET_SUBSCRIBE)
  })

  it('map the whole event, and add batching to that mapping when asked', () => {
    const settings = presetSettings('http://127.0.0.1:1/events', { username: 'u', password: 'p' }, { batch_size: 100 })
    expect(settings).toEqual({
      username: 'u',
      password: 'p',
      movable_ink_url: 'http://127.0.0.1:1/events',
      subscription: {
        subscribe: PRESET_SUBSCRIBE,
        partnerAction: 'sendEntireEvent',
        mapping: { data: { '@path': '$.' }, batch_size: 100 }
      }
    })
  })
})

describe('events', () => {
  it('are the same for every process, about 1 KB, and pass every check of the destination', () => {
    const a = makeEvents(200)
    expect(makeEvents(200)).toEqual(a)
    const sizes = a.map((e) => Buffer.byteLength(JSON.stringify(e)))
    const average = sizes.reduce((s, n) => s + n, 0) / sizes.length
    expect(average).toBeGreaterThan(900)
    expect(average).toBeLessThan(1400)
    expect(new Set(a.map((e) => e.type))).toEqual(new Set(['track', 'identify']))
    for (const event of a) expect(() => prepareEvent({ data: event })).not.toThrow()
    const lines = [...eventLines(200)]
    expect(lines.map((l) => JSON.parse(l))).toEqual(a)
  })

  it('are exactly what generator version 1 made (a kept events-N.jsonl of that version is reused)', () => {
    // A change to what events.ts generates must bump jsonl.ts's GENERATOR_VERSION, and this pin with it.
    expect(GENERATOR_VERSION).toBe(1)
    const digest = createHash('sha256')
      .update([...eventLines(500)].join(''))
      .digest('hex')
    expect(digest).toBe('b2036f2f1f8b193fe676c4bac0c1c9597f5e38b6ffb00e09c5f9c573a3d050ee')
  })
})

describe('the JSON Lines file for send', () => {
  it('holds the events, and is reused only while its meta and size still agree', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-jsonl-'))
    try {
      const written = await ensureJsonl(dir, 50)
      expect(written).toMatchObject({ count: 50, reused: false })
      expect(readFileSync(written.path, 'utf8')).toBe([...eventLines(50)].join(''))
      expect(await ensureJsonl(dir, 50)).toEqual({ ...written, reused: true })
      appendFileSync(written.path, '{}\n')
      expect(await ensureJsonl(dir, 50)).toEqual({ ...written, reused: false })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('a tiny in-process run', () => {
  it('measures a round of fake units and writes results.json with the documented shape', async () => {
    let calls = 0
    const unit = async () => {
      calls++
      await new Promise((resolve) => setImmediate(resolve))
      return { events: 2, failed: 0 }
    }
    const { figures } = await runRound([unit, unit], 4, 30, 1)
    expect(calls).toBeGreaterThan(0)
    expect(figures.requests).toBe(calls)
    expect(figures.events).toBe(2 * calls)
    expect(figures.failed).toBe(0)
    expect(figures.eventsPerSecond).toBeGreaterThan(0)
    expect(figures.p99Ms).toBeGreaterThanOrEqual(figures.p50Ms)

    const contenders = {
      reference: summarizeContender('1 reference', 'ref', rounds([1000, 1100, 900]), 150e6, 85e6),
      project: summarizeContender('2 project', 'ours', rounds([1000, 1045, 990]), 151e6, 86e6),
      batched: summarizeContender('3 batched', 'ours, batched', rounds([25000, 26000, 21000]), 190e6, 86e6),
      limit: summarizeContender('4 limit', 'bare', rounds([9000, 9500, 8000]), 108e6, 85e6)
    }
    expect(contenders.project.eventsPerSecond).toBe(1000)
    expect(contenders.project.p50Ms).toBe(6)
    const ratios = computeRatios(contenders)
    expect(ratios.project_vs_reference).toBe(1)
    // per round 25, 23.64 and 23.33: the median pair, not the ratio of the medians (25000 / 1000)
    expect(ratios.batched_vs_reference).toBeCloseTo(23.636, 3)
    const send = { status: 'skipped' as const, reason: 'send: not available yet' }
    const partial = { contenders, ratios, send }
    const results: Results = {
      generatedAt: new Date(0).toISOString(),
      command: 'npm run bench -- --quick',
      quick: true,
      machine: {
        cpuModel: 'test',
        cores: 2,
        node: process.version,
        platform: 'linux',
        arch: 'x64',
        totalMemoryBytes: 1
      },
      config: {},
      ...partial,
      targets: evaluateTargets(partial),
      costSplit: computeCostSplit(contenders, { checksUs: 1.5, projectBatchUs: 4 }),
      notes: []
    }
    const met = Object.fromEntries(results.targets.map((t) => [t.name, t.met]))
    expect(met['project / reference (events/s)']).toBe(true)
    expect(met['batched(100) / reference (events/s)']).toBe(true)
    expect(met['project / bare loop (events/s)']).toBe(false)
    expect(met['send: peak RSS (MB)']).toBeNull()

    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-test-'))
    try {
      const file = path.join(dir, 'results.json')
      writeResults(file, results)
      const read = JSON.parse(readFileSync(file, 'utf8'))
      expect(Object.keys(read.machine)).toEqual(expect.arrayContaining(['cpuModel', 'cores', 'node']))
      expect(Object.keys(read.contenders).sort()).toEqual(['batched', 'limit', 'project', 'reference'])
      for (const c of Object.values(read.contenders) as Record<string, unknown>[]) {
        expect(c).toEqual(
          expect.objectContaining({
            eventsPerSecond: expect.any(Number),
            p50Ms: expect.any(Number),
            p99Ms: expect.any(Number),
            peakRssBytes: expect.any(Number)
          })
        )
      }
      expect(read.ratios).toEqual(
        expect.objectContaining({
          project_vs_reference: expect.any(Number),
          batched_vs_reference: expect.any(Number),
          project_vs_limit: expect.any(Number)
        })
      )
      expect(read.send.status).toBe('skipped')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }

    const table = formatTables(results)
    expect(table).toContain('| contender')
    expect(table).toContain('met?')
    expect(table).toContain('movable-ink send: not available yet')
  })

  it("compares send with the journal to send without it (the journal's target: >= 0.9x)", () => {
    const ratios = computeRatios({})
    const sendOf = (eventsPerSecond: number, journal: boolean) => ({
      status: 'ok' as const,
      events: 1_000_000,
      eventsPerSecond,
      peakRssBytes: 200e6,
      cpuUsPerEvent: journal ? 420 : 400,
      journal
    })
    const target = (send: number, without?: number) =>
      evaluateTargets({
        contenders: {},
        ratios,
        send: sendOf(send, true),
        ...(without ? { sendNoJournal: sendOf(without, false) } : {})
      }).find((t) => t.name === 'send: events/s with the journal / without')
    expect(target(3600, 4000)).toMatchObject({ value: 0.9, met: true })
    expect(target(3500, 4000)).toMatchObject({ value: 0.88, met: false })
    expect(target(3500)).toMatchObject({ value: null, met: null })
    const table = formatTables({
      generatedAt: '',
      command: '',
      quick: false,
      machine: { cpuModel: '', cores: 2, node: '', platform: '', arch: '', totalMemoryBytes: 1 },
      config: {},
      contenders: {},
      ratios,
      send: sendOf(3600, true),
      sendNoJournal: sendOf(4000, false),
      targets: [],
      notes: []
    })
    expect(table).toContain('movable-ink send (1,000,000 events, 1 event/request, journal)')
    expect(table).toContain('movable-ink send (1,000,000 events, 1 event/request, no journal)')
    expect(table).toMatch(/send CPU\/event with the journal \/ without .*\| 1\.05 /)
  })

  it('hold the backfill against the batched contender, 250 MB and a complete resume', () => {
    const ratios = computeRatios({})
    const backfill = (ratioToBatched: number, complete: boolean) => ({
      status: 'ok' as const,
      events: 1_000_000,
      eventsPerSecond: 40_000,
      peakRssBytes: 260e6,
      ratioToBatched,
      resume: { complete, alreadyDone: complete ? 1_000_000 : 999_000, sent: 0 }
    })
    const targets = (b: ReturnType<typeof backfill>) =>
      evaluateTargets({ contenders: {}, ratios, send: { status: 'skipped' }, backfill: b }).filter((t) =>
        t.name.startsWith('backfill')
      )
    expect(targets(backfill(0.8, true)).map((t) => t.met)).toEqual([true, false, true])
    expect(targets(backfill(0.79, false)).map((t) => [t.value, t.met])).toEqual([
      [0.79, false],
      [260, false],
      [0.999, false]
    ])
  })
})
