import { spawn } from 'child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'fs'
import { join } from 'path'
import type { StandIn } from '../../src/standIn/standIn'
import type { Faults } from '../../src/standIn/faults'
import {
  cleanEnv,
  CLI,
  ensureBuilt,
  event,
  eventsOfBody,
  jsonl,
  readJsonLines,
  runMain,
  scratch,
  tempDir,
  withStandIn
} from './helpers'

/**
 * `send` killed with SIGKILL at random points, then resumed from its journal: every event is stored, and
 * each kill duplicates at most what was in flight. The counts come from the stand-in's record file (each
 * accepted request, flushed to disk before the answer), not from send's own report.
 */

const USERNAME = 'AKID-resume'
const SECRET = 'resume-secret-5f4e3d2c'
const env = { MOVABLE_INK_ACCESS_SECRET: SECRET }
const target = (standIn: StandIn) => ['--url', standIn.url, '--username', USERNAME]

beforeAll(() => ensureBuilt(), 180_000)

const { dir, path, writeJsonl } = scratch()

/** Every messageId the stand-in stored, once per time it stored it. */
const storedIds = (standIn: StandIn): string[] =>
  readJsonLines(standIn.recordFile as string).flatMap((r) => eventsOfBody(r.body).map((e) => e.messageId))

/** How many times each messageId is there beyond the first. */
function duplicates(ids: string[]): number {
  return ids.length - new Set(ids).size
}

/** A stand-in that calls `onAccepted` after each request it answers 200 (so a test can kill at that point). */
function inStandIn<T>(
  faults: Faults | undefined,
  run: (standIn: StandIn, hook: { onAccepted?: () => void }) => Promise<T>
): Promise<T> {
  const hook: { onAccepted?: () => void } = {}
  const log = (line: string) => {
    if (line.includes(' -> 200 ')) hook.onAccepted?.()
  }
  const options = { username: USERNAME, password: SECRET, record: path('received.jsonl'), faults, log }
  return withStandIn(options, (standIn) => run(standIn, hook))
}

/** Runs send; kills it with SIGKILL once the stand-in has accepted `killAfter` more requests. */
function sendUntilKilled(
  args: string[],
  hook: { onAccepted?: () => void },
  killAfter: number
): Promise<{ signal: NodeJS.Signals | null; code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'send', ...args], { cwd: dir, env: cleanEnv(env), stdio: 'pipe' })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    let accepted = 0
    hook.onAccepted = () => {
      if (++accepted === killAfter) child.kill('SIGKILL')
    }
    child.on('error', reject)
    child.on('close', (code, signal) => {
      hook.onAccepted = undefined
      resolve({ code, signal, output })
    })
  })
}

const randomFrom = (low: number, high: number) => low + Math.floor(Math.random() * (high - low + 1))

const outcomeKeys = (journal: string) =>
  readJsonLines(journal)
    .filter((line) => line.outcome)
    .map((line) => `${line.input}:${line.item}`)

describe('send killed at random points, then --resume', () => {
  it.each([
    ['one event per request', [] as string[], 1],
    ['worker threads', ['--workers', '2'], 1],
    ['batches of 5', ['--batch', '5'], 5]
  ])('%s: every event stored, duplicates at most what was in flight per kill', async (_, extra, batch) => {
    const count = 240
    const concurrency = 4
    const prefix = `k${Math.random().toString(36).slice(2, 8)}`
    const events = Array.from({ length: count }, (_, i) => event({ messageId: `${prefix}-${i}` }))
    const input = writeJsonl('kill.jsonl', events)
    const journal = path('journal.jsonl')
    await inStandIn({ rateSlow: 0.1, slowMs: 60 }, async (standIn, hook) => {
      const args = [
        input,
        ...target(standIn),
        '--concurrency',
        String(concurrency),
        '--workers',
        '0',
        ...extra,
        '--failed',
        path('failed.jsonl')
      ]
      const requests = count / batch
      const kills = [randomFrom(1, requests / 3), randomFrom(1, requests / 3)]
      const why = `killed after ${kills.join(' and ')} accepted requests`

      const first = await sendUntilKilled([...args, '--journal', journal], hook, kills[0])
      expect({ why, signal: first.signal }).toEqual({ why, signal: 'SIGKILL' })
      const second = await sendUntilKilled([...args, '--resume', journal], hook, kills[1])
      expect({ why, signal: second.signal }).toEqual({ why, signal: 'SIGKILL' })
      const doneBefore = outcomeKeys(journal).length

      const summaryPath = path('summary.json')
      const last = await runMain(['send', ...args, '--resume', journal, '--summary-json', summaryPath], {
        env,
        cwd: dir
      })
      expect({ why, code: last.code, output: last.stdout + last.stderr }).toMatchObject({ why, code: 0 })
      const summary = JSON.parse(readFileSync(summaryPath, 'utf8'))
      expect(summary).toMatchObject({ read: count, alreadyDone: doneBefore, sent: count - doneBefore, failed: 0 })
      expect(last.stdout).toContain(`Skipped ${doneBefore} events already done according to the journal`)

      const stored = storedIds(standIn)
      expect(new Set(stored)).toEqual(new Set(events.map((e) => e.messageId)))
      expect({ why, duplicates: duplicates(stored) <= kills.length * concurrency * batch }).toEqual({
        why,
        duplicates: true
      })
      // The journal holds each event's outcome exactly once, across the three runs.
      const keys = outcomeKeys(journal)
      expect(keys).toHaveLength(count)
      expect(new Set(keys).size).toBe(count)
    })
  })
})

describe('send --resume', () => {
  const run = (standIn: StandIn, args: string[]) => runMain(['send', ...args, ...target(standIn)], { env, cwd: dir })

  it('sends nothing after a clean finish', async () => {
    const input = writeJsonl('clean.jsonl', [event(), event(), event({ type: 'identify' })])
    const journal = path('clean-journal.jsonl')
    await inStandIn(undefined, async (standIn) => {
      expect((await run(standIn, [input, '--journal', journal])).code).toBe(0)
      const again = await run(standIn, [input, '--resume', journal])
      expect(again.code).toBe(0)
      expect(again.stdout).toContain('Sent 0 of 0 events')
      expect(again.stdout).toContain('Skipped 3 events already done')
      expect(storedIds(standIn)).toHaveLength(3)
    })
  })

  it('refuses a journal of other inputs, stdin, and a file that is not a journal, sending nothing', async () => {
    const events = [event(), event()]
    const input = writeJsonl('mine.jsonl', events)
    const other = writeJsonl('other.jsonl', [event(), event()])
    const grown = writeJsonl('grown.jsonl', [...events, event()])
    const journal = path('mine-journal.jsonl')
    await inStandIn(undefined, async (standIn) => {
      expect((await run(standIn, [input, '--journal', journal])).code).toBe(0)
      // Each is refused before it sends or writes anything, so they run side by side (nine commands, one by one,
      // took most of the test's time).
      const refusals: [string[], string][] = [
        [[other, '--resume', journal], 'belongs to other inputs: input 1 was'],
        [[grown, '--resume', journal], 'belongs to other inputs'],
        [[input, input, '--resume', journal], 'it was written for 1 input file'],
        [['-', '--resume', journal], 'stdin cannot be checked against a journal'],
        [[input, '--resume', input], 'is not a movable-ink send journal'],
        [[input, '--resume', path('missing.jsonl')], 'does not exist'],
        [[input, '--journal', journal], 'already exists: resume that run with --resume'],
        [[input, '--resume', journal, '--no-journal'], 'drop --no-journal'],
        [[input, '--journal', join(dir, 'no-such-dir', 'journal.jsonl')], 'no-such-dir does not exist']
      ]
      const results = await Promise.all(refusals.map(([args]) => run(standIn, args)))
      refusals.forEach(([args, message], i) => {
        expect({ args, code: results[i].code }).toEqual({ args, code: 2 })
        expect(results[i].stderr).toContain(message)
      })
      expect(storedIds(standIn)).toHaveLength(2)
    })
  })

  it('drops a last line cut short by a crash, and sends exactly the events the journal does not hold', async () => {
    const events = Array.from({ length: 30 }, (_, i) => event({ messageId: `t${i}` }))
    const input = writeJsonl('cut.jsonl', events)
    const journal = path('cut-journal.jsonl')
    await inStandIn(undefined, async (standIn) => {
      expect((await run(standIn, [input, '--journal', journal, '--concurrency', '1', '--workers', '0'])).code).toBe(0)
      const lines = readFileSync(journal, 'utf8').split('\n').filter(Boolean)
      const kept = lines.slice(0, -6)
      const cutLine = lines[lines.length - 6]
      writeFileSync(journal, [...kept, cutLine.slice(0, 20)].join('\n'))
      const missing = lines.slice(-6).map((line) => JSON.parse(line).messageId)

      const resumed = await run(standIn, [input, '--resume', journal])
      expect(resumed.code).toBe(0)
      expect(resumed.stdout).toContain('Skipped 24 events already done')
      expect(storedIds(standIn).slice(30).sort()).toEqual(missing.sort())
      // The cut line is gone from the journal, which resumes cleanly again.
      expect(outcomeKeys(journal)).toHaveLength(30)
      const again = await run(standIn, [input, '--resume', journal])
      expect(again.stdout).toContain('Skipped 30 events already done')
      expect(storedIds(standIn)).toHaveLength(36)
    })
  })

  it('stops when an event is not the one the journal recorded at its place (the input changed)', async () => {
    // Larger than the 64 KiB the fingerprint hashes, and the change keeps the size.
    const events = Array.from({ length: 600 }, (_, i) => event({ messageId: `c${String(i).padStart(3, '0')}` }))
    const input = writeJsonl('changed.jsonl', events)
    const journal = path('changed-journal.jsonl')
    await inStandIn(undefined, async (standIn) => {
      expect((await run(standIn, [input, '--journal', journal])).code).toBe(0)
      writeFileSync(input, readFileSync(input, 'utf8').replace('"c599"', '"x599"'))
      const result = await run(standIn, [input, '--resume', journal])
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('line 600 holds another event (messageId "x599") than the journal recorded')
      expect(storedIds(standIn)).toHaveLength(600)
    })
  })
})

describe('the journal', () => {
  it('is on by default next to the failed-events file, with every kind of final outcome; --no-journal keeps none', async () => {
    const cwd = tempDir()
    const mapping = path('mapping.json')
    writeFileSync(mapping, JSON.stringify({ subscribe: 'type = "track"' }))
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString()
    const input = path('kinds.jsonl')
    writeFileSync(
      input,
      jsonl([event({ messageId: 'ok' }), event({ messageId: 'id', type: 'identify' })]) +
        '{"oops\n' +
        jsonl([event({ messageId: 'old', timestamp: old }), event({ messageId: 'bad', timestamp: 'yesterday' })])
    )
    await inStandIn(undefined, async (standIn) => {
      const args = ['send', input, ...target(standIn), '--mapping', mapping]
      const result = await runMain(args, { env, cwd })
      expect(result.code).toBe(1)
      const [journal] = readdirSync(cwd).filter((name) => name.startsWith('movable-ink-journal-'))
      expect(result.stdout).toContain(`Journal: ${journal} (if this run stops, resume with: movable-ink send --resume`)
      const [header, ...outcomes] = readJsonLines(join(cwd, journal))
      expect(header).toMatchObject({
        journal: 'movable-ink send journal',
        inputs: [{ name: input, size: readFileSync(input).length }]
      })
      expect(header.failedFile).toMatch(/^movable-ink-failed-\d{8}T\d{6}\.jsonl$/)
      expect(existsSync(join(cwd, header.failedFile))).toBe(true)
      expect(outcomes.sort((a, b) => a.item - b.item)).toEqual([
        { input: 0, item: 0, line: 1, messageId: 'ok', outcome: 'delivered' },
        { input: 0, item: 1, line: 2, messageId: 'id', outcome: 'not subscribed' },
        { input: 0, item: 2, line: 3, outcome: 'failed' },
        { input: 0, item: 3, line: 4, messageId: 'old', outcome: 'too old' },
        { input: 0, item: 4, line: 5, messageId: 'bad', outcome: 'failed' }
      ])

      const none = tempDir()
      expect((await runMain([...args, '--no-journal'], { env, cwd: none })).code).toBe(1)
      expect(readdirSync(none).filter((name) => name.includes('journal'))).toEqual([])
    })
  })
})

describe("Movable Ink's 30-day window", () => {
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString()
  const events = [
    event({ messageId: 'now' }),
    event({ messageId: 'd10', timestamp: daysAgo(10) }),
    event({ messageId: 'd29', timestamp: daysAgo(29.9) }),
    event({ messageId: 'd31', timestamp: daysAgo(31) }),
    event({ messageId: 'd400', timestamp: daysAgo(400) })
  ]

  it.each([
    ['by default, 30 days', [], ['d10', 'd29', 'now'], ['d31', 'd400']],
    ['--max-age-days 5', ['--max-age-days', '5'], ['now'], ['d10', 'd29', 'd31', 'd400']],
    ['--max-age-days 0 (off)', ['--max-age-days', '0'], ['d10', 'd29', 'd31', 'd400', 'now'], []]
  ])('%s', async (_, extra, sent, held) => {
    const input = writeJsonl('window.jsonl', events)
    const failed = path('window-failed.jsonl')
    await inStandIn(undefined, async (standIn) => {
      const summaryPath = path('window-summary.json')
      const args = ['send', input, ...target(standIn), '--failed', failed]
      const result = await runMain([...args, '--summary-json', summaryPath, ...extra], { env, cwd: dir })
      expect(result.code).toBe(held.length ? 1 : 0)
      expect(storedIds(standIn).sort()).toEqual(sent)
      // Held back, counted by the day of their timestamp: not one line each in the failed-events file.
      expect(readJsonLines(failed)).toEqual([])
      const days = held.map((id) => String(events.find((e) => e.messageId === id)?.timestamp).slice(0, 10))
      const byDay = days.reduce<Record<string, number>>((all, day) => ({ ...all, [day]: (all[day] ?? 0) + 1 }), {})
      expect(JSON.parse(readFileSync(summaryPath, 'utf8'))).toMatchObject({
        tooOld: held.length,
        tooOldByDay: byDay,
        failed: 0
      })
      if (held.length > 0) {
        expect(result.stdout).toContain(
          `Held back as older than the window, by the day of their timestamp (not sent, not in the failed-events file): ${Object.keys(
            byDay
          )
            .sort()
            .map((day) => `${day}: ${byDay[day]}`)
            .join(', ')}. To deliver them anyway, send those days again with --max-age-days 0.`
        )
        expect(result.stdout).not.toContain('replay with')
      }
    })
  })
})

describe('events retried after an unknown outcome', () => {
  it.each([
    ['timeouts', { rateSlow: 1, slowMs: 400 }, ['--timeout', '100'], 3],
    ['dropped connections', { rateDrop: 1 }, [], 3],
    ['HTTP 500 answers (known: not stored)', { rate500: 1 }, [], 0]
  ])('%s', async (_, faults, extra, unknown) => {
    const input = writeJsonl('unknown.jsonl', [event(), event(), event()])
    await inStandIn(faults as Faults, async (standIn) => {
      const summaryPath = path('unknown-summary.json')
      const result = await runMain(
        [
          'send',
          input,
          ...target(standIn),
          '--retries',
          '1',
          '--retry-base-ms',
          '1',
          '--failed',
          path('unknown-failed.jsonl'),
          '--summary-json',
          summaryPath,
          ...extra
        ],
        { env, cwd: dir }
      )
      expect(result.code).toBe(1)
      expect(JSON.parse(readFileSync(summaryPath, 'utf8'))).toMatchObject({
        retries: 3,
        retriedAfterUnknownOutcome: unknown
      })
      if (unknown) expect(result.stdout).toContain('Movable Ink may have stored them twice')
      else expect(result.stdout).not.toContain('stored them twice')
    })
  })
})
