import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'fs'
import { join } from 'path'
import type { StandIn } from '../../src/standIn/standIn'
import { event, eventsOfBody, readJsonLines, runMain, scratch, tempDir, withStandIn } from './helpers'

/**
 * Files send writes (the failed-events file, the journal, the summary, the embedded stand-in's record): checked
 * before the first request, a usage error (exit 2) naming the path and the reason; and a write that fails
 * once the run is under way stops it as a signal would, the journal intact for --resume.
 */

const USERNAME = 'AKID-outputs'
const SECRET = 'outputs-secret-3b2a1f0e'
const env = { MOVABLE_INK_ACCESS_SECRET: SECRET }

const { dir, path, writeJsonl } = scratch()

const inStandIn = <T>(run: (standIn: StandIn) => Promise<T>): Promise<T> =>
  withStandIn({ username: USERNAME, password: SECRET, record: path('received.jsonl') }, run)
const storedIds = (standIn: StandIn): string[] =>
  readJsonLines(standIn.recordFile as string).flatMap((r) => eventsOfBody(r.body).map((e) => e.messageId))

const regularFile = path('a-file')
writeFileSync(regularFile, 'not a folder\n')
const missing = join(dir, 'no-such-folder')
const readOnly = join(dir, 'read-only')
mkdirSync(readOnly)
chmodSync(readOnly, 0o555)
// root may write anywhere, whatever a folder's mode says: the read-only case is for other users.
const asRoot = process.getuid?.() === 0

type Place = [string, (name: string) => string, RegExp]
const places: Place[] = [
  ['in a folder that does not exist', (name) => join(missing, name), /its folder .*no-such-folder does not exist/],
  ['under a regular file', (name) => join(regularFile, name), /a-file is a file, not a folder/],
  ['that is a folder', () => dir, /it is a folder, not a file/],
  ...(asRoot
    ? []
    : [
        [
          'in a read-only folder',
          (name: string) => join(readOnly, name),
          /may not be written by this user \(EACCES\)/
        ] as Place
      ])
]
const flags: [string, string, string][] = [
  ['--failed', 'failed.jsonl', 'The failed-events file (--failed)'],
  ['--journal', 'journal.jsonl', 'The journal (--journal)'],
  ['--summary-json', 'summary.json', 'The summary file (--summary-json)']
]
const cases = places.flatMap(([where, at, why]) =>
  flags.map(([flag, name, what]) => [`${flag} ${where}`, flag, at(name), what, why] as const)
)

describe('send: files that cannot be written are found before the first request', () => {
  // Each case has its own stand-in, input and working folder: they run side by side.
  it.concurrent.each(cases)(
    '%s: exit 2, naming the path and the reason, nothing sent',
    async (_, flag, target, what, why) => {
      const input = writeJsonl('events.jsonl', [event(), event()])
      await inStandIn(async (standIn) => {
        const cwd = tempDir()
        const result = await runMain(['send', input, '--url', standIn.url, '--username', USERNAME, flag, target], {
          env,
          cwd
        })
        expect(result.code).toBe(2)
        expect(result.stderr).toContain(`${what} ${target} cannot be written: `)
        expect(result.stderr).toMatch(why)
        expect(result.stdout).toBe('')
        expect(storedIds(standIn)).toEqual([])
        // Nothing was left behind: no journal, no failed-events file.
        expect(readdirSync(cwd)).toEqual([])
      })
    }
  )

  // The record's folders are created when missing (a folder of the tool's own, like .movable-ink/).
  const recordPlaces = places.filter(([where]) => !where.includes('does not exist'))
  it.concurrent.each(recordPlaces)(
    "the embedded stand-in's record (--record) %s: exit 2 before anything starts",
    async (_, at, why) => {
      const input = writeJsonl('events.jsonl', [event()])
      const cwd = tempDir()
      const target = at('received.jsonl')
      const result = await runMain(['send', input, '--record', target], { cwd })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(`The stand-in's record (--record) ${target} cannot be written: `)
      expect(result.stderr).toMatch(why)
      expect(readdirSync(cwd)).toEqual([])
    }
  )
})

describe('send: a write that fails once the run is under way', () => {
  it('stops as a signal would when the failed-events file cannot be written; --resume then sends nothing twice', async () => {
    const events = Array.from({ length: 30 }, (_, i) =>
      event(i === 10 ? { messageId: `w${i}`, timestamp: undefined } : { messageId: `w${i}` })
    )
    const input = writeJsonl('full.jsonl', events)
    const journal = path('journal.jsonl')
    await inStandIn(async (standIn) => {
      const args = ['send', input, '--url', standIn.url, '--username', USERNAME, '--concurrency', '2']
      // /dev/full takes the open and refuses every write (ENOSPC): a disk that fills up during the run.
      const first = await runMain([...args, '--failed', '/dev/full', '--journal', journal], { env, cwd: dir })
      expect(first.code).toBe(1)
      expect(first.stdout).toContain(
        'Stopping: the failed-events file /dev/full could not be written (ENOSPC: no space left on device'
      )
      expect(first.stdout).toMatch(/^Sent \d+ of \d+ events/m)
      expect(first.stdout).toContain(
        `are not in the journal, so a resume handles them again. Resume with: movable-ink send --resume ${journal} ${input}`
      )
      const done = readJsonLines(journal).filter((line) => line.outcome)
      expect(done.some((line) => line.messageId === 'w10')).toBe(false)
      expect(done.length).toBeLessThan(30)

      const failed = path('failed.jsonl')
      const resumed = await runMain([...args, '--failed', failed, '--resume', journal], { env, cwd: dir })
      expect(resumed.code).toBe(1)
      expect(resumed.stdout).toContain(`Skipped ${done.length} events already done`)
      const stored = storedIds(standIn)
      expect(stored.sort()).toEqual(
        events
          .map((e) => e.messageId as string)
          .filter((id) => id !== 'w10')
          .sort()
      )
      expect(readJsonLines(failed).map((r) => r.event.messageId)).toEqual(['w10'])
    })
  })

  it('prints the summary and says so when --summary-json cannot be written at the end, exit 1', async () => {
    const input = writeJsonl('summary.jsonl', [event({ messageId: 's1' })])
    await inStandIn(async (standIn) => {
      const result = await runMain(
        ['send', input, '--url', standIn.url, '--username', USERNAME, '--no-journal', '--summary-json', '/dev/full'],
        { env, cwd: dir }
      )
      expect(result.code).toBe(1)
      expect(result.stdout).toContain('Sent 1 of 1 event')
      expect(result.stderr).toContain(
        'The summary file (--summary-json) /dev/full could not be written (ENOSPC: no space left on device'
      )
      expect(storedIds(standIn)).toEqual(['s1'])
    })
  })
})
