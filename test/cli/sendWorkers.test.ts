import { existsSync, readFileSync, writeFileSync } from 'fs'
import type { StandIn } from '../../src/standIn/standIn'
import type { Faults } from '../../src/standIn/faults'
import { ensureBuilt, event, eventsOfBody, jsonl, runCli, scratch, withStandIn } from './helpers'

/** `send --workers N`: the deliveries run in worker threads; reading, retries and reporting stay in the main thread. */

const USERNAME = 'AKID-workers'
const SECRET = 'workers-secret-9z8y7x6w'
const BASIC = Buffer.from(`${USERNAME}:${SECRET}`).toString('base64')
const env = { MOVABLE_INK_ACCESS_SECRET: SECRET }

beforeAll(() => ensureBuilt(), 180_000)

const { dir, path, writeJsonl } = scratch()

/** The messageIds the stand-in accepted, one per event (batches are arrays). */
const receivedIds = (standIn: StandIn): string[] =>
  standIn.recordFile
    ? readFileSync(standIn.recordFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .flatMap((line) => {
          return eventsOfBody(JSON.parse(line).body).map((e) => e.messageId)
        })
    : []

const failedIds = (file: string): string[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line).event?.messageId ?? 'raw')
    : []

const inStandIn = <T>(faults: Faults | undefined, run: (standIn: StandIn) => Promise<T>): Promise<T> =>
  withStandIn({ username: USERNAME, password: SECRET, record: path('received.jsonl'), faults, seed: 7 }, run)

describe('movable-ink send --workers', () => {
  it.each([
    ['1 worker, one event per request', ['--workers', '1']],
    ['2 workers, one event per request', ['--workers', '2']],
    ['2 workers, batches', ['--workers', '2', '--batch', '5']]
  ])('delivers every event exactly once under 429s, 500s and dropped connections: %s', async (_, extra) => {
    const events = Array.from({ length: 80 }, (_, i) => event({ messageId: `w${i}` }))
    const input = writeJsonl('faults.jsonl', events)
    await inStandIn({ rate429: 0.2, retryAfterSeconds: 0, rate500: 0.15, rateDrop: 0.15 }, async (standIn) => {
      const summaryPath = path('summary.json')
      const result = await runCli(
        [
          'send',
          input,
          '--url',
          standIn.url,
          '--username',
          USERNAME,
          '--concurrency',
          '6',
          '--retries',
          '15',
          '--retry-base-ms',
          '5',
          '--max-delay-ms',
          '50',
          '--summary-json',
          summaryPath,
          '--verbose',
          ...extra
        ],
        { env, cwd: dir }
      )
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      const summary = JSON.parse(readFileSync(summaryPath, 'utf8'))
      expect(summary).toMatchObject({ read: 80, sent: 80, failed: 0 })
      expect(summary.retries).toBeGreaterThan(0)
      const ids = receivedIds(standIn)
      expect(ids.sort()).toEqual(events.map((e) => e.messageId as string).sort())
      expect(standIn.stats.byStatus['429']).toBeGreaterThan(0)
      expect(standIn.stats.byStatus['500']).toBeGreaterThan(0)
      // Each event reported once: one ✓ line per event.
      expect(result.stdout.match(/✓ /g)).toHaveLength(80)
      expect(result.stdout).not.toContain(SECRET)
      expect(result.stdout).not.toContain(BASIC)
    })
  })

  it('gives the same delivered, failed and skipped events with 0, 1 and 2 workers', async () => {
    const mapping = path('mapping.json')
    writeFileSync(mapping, JSON.stringify({ subscribe: 'type = "track"' }))
    const events = Array.from({ length: 40 }, (_, i) =>
      i % 10 === 3
        ? event({ messageId: `s${i}`, type: 'identify' })
        : i % 10 === 7
        ? event({ messageId: `s${i}`, timestamp: undefined })
        : event({ messageId: `s${i}` })
    )
    const input = path('mixed.jsonl')
    writeFileSync(input, jsonl(events).replace('\n', '\n{"type": "track", oops\n'))

    const outcomes = []
    for (const workers of ['0', '1', '2']) {
      const failed = path(`failed-${workers}.jsonl`)
      const summaryPath = path(`summary-${workers}.json`)
      const delivered = await inStandIn(undefined, async (standIn) => {
        const result = await runCli(
          [
            'send',
            input,
            '--url',
            standIn.url,
            '--username',
            USERNAME,
            '--mapping',
            mapping,
            '--workers',
            workers,
            '--concurrency',
            '5',
            '--failed',
            failed,
            '--summary-json',
            summaryPath
          ],
          { env, cwd: dir }
        )
        expect(result.code).toBe(1)
        expect(result.stdout).not.toContain(SECRET)
        return receivedIds(standIn).sort()
      })
      const {
        read,
        sent,
        failed: failedCount,
        malformed,
        skipped,
        retries
      } = JSON.parse(readFileSync(summaryPath, 'utf8'))
      outcomes.push({
        delivered,
        failed: failedIds(failed).sort(),
        summary: { read, sent, failed: failedCount, malformed, skipped, retries }
      })
    }
    expect(outcomes[0].summary).toEqual({ read: 41, sent: 32, failed: 5, malformed: 1, skipped: 4, retries: 0 })
    expect(outcomes[0].delivered).toHaveLength(32)
    expect(outcomes[0].failed).toEqual(['raw', 's17', 's27', 's37', 's7'])
    expect(outcomes[1]).toEqual(outcomes[0])
    expect(outcomes[2]).toEqual(outcomes[0])
  })

  it('refuses a --workers that is not a whole number from 0 to 16', async () => {
    const result = await runCli(['send', 'examples/events/01-identify.json', '--workers', '99'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('expected a whole number from 0 to 16')
  })
})
