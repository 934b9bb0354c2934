import { readFileSync, writeFileSync } from 'fs'
import type { StandIn } from '../../src/standIn/standIn'
import { ensureBuilt, event, eventsOfBody, readJsonLines, runMain, scratch, startReceive, withStandIn } from './helpers'

/**
 * An event nested thousands of levels deep, fed to every command: it alone is refused, with its place and the
 * reason, it is in the failed-events file and the journal, the exit code says so, and its neighbours go on.
 */

const USERNAME = 'AKID-nesting'
const SECRET = 'nesting-secret-7c6b5a49'
const env = { MOVABLE_INK_ACCESS_SECRET: SECRET }

beforeAll(() => ensureBuilt(), 180_000)

const { dir, path } = scratch()

/** An event whose properties.x is `levels` arrays deep, as one line of text (12 KB for 6,000). */
function deepLine(levels: number, messageId: string): string {
  const text = JSON.stringify(event({ messageId, event: 'Deep' }))
  return text.replace('"properties":{', `"properties":{"x":${'['.repeat(levels)}${']'.repeat(levels)},`)
}

const REASON =
  /nested 6002 levels deep; Movable Ink's mappings and Segment's pipeline cannot use it \(at most 128 levels/

function writeInput(batchOfTen = false): string {
  const file = path('deep.jsonl')
  const ids = batchOfTen ? ['n1', 'n2', 'n3', 'n4'] : ['n1', 'n2']
  const lines = ids.map((id) => JSON.stringify(event({ messageId: id })))
  lines.splice(1, 0, deepLine(6000, 'deep'))
  writeFileSync(file, lines.join('\n') + '\n')
  return file
}

const inStandIn = <T>(run: (standIn: StandIn) => Promise<T>): Promise<T> =>
  withStandIn({ username: USERNAME, password: SECRET, record: path('received.jsonl') }, run)

describe('send: an event nested 6,000 levels deep', () => {
  it.each([
    ['one event per request, main thread', ['--workers', '0']],
    ['worker threads', ['--workers', '2']],
    ['batches of 10', ['--batch', '10']]
  ])('%s: refused alone, in the failed-events file and the journal, neighbours delivered, exit 1', async (_, extra) => {
    const input = writeInput(extra[0] === '--batch')
    const [failed, journal, summaryPath] = [path('failed.jsonl'), path('journal.jsonl'), path('summary.json')]
    await inStandIn(async (standIn) => {
      const args = ['send', input, '--url', standIn.url, '--username', USERNAME, ...extra, '--failed', failed]
      const result = await runMain([...args, '--journal', journal, '--summary-json', summaryPath], { env, cwd: dir })
      expect(result.code).toBe(1)
      expect(result.stdout).not.toMatch(/Internal error|call stack/)
      expect(result.stdout).toMatch(new RegExp(`${input}:2: refused, ${REASON.source}`))
      const summary = JSON.parse(readFileSync(summaryPath, 'utf8'))
      const neighbours = extra[0] === '--batch' ? 4 : 2
      expect(summary).toMatchObject({ read: neighbours + 1, sent: neighbours, failed: 1, malformed: 0 })
      expect(summary.failedByReason).toEqual({ 'too deep': 1 })
      const stored = readJsonLines(standIn.recordFile as string).flatMap((r) =>
        eventsOfBody(r.body).map((e) => e.messageId)
      )
      expect(stored.sort()).toEqual(['n1', 'n2', 'n3', 'n4'].slice(0, neighbours))
      const [record] = readJsonLines(failed)
      expect(record.movableInkFailure).toMatchObject({ errortype: 'TOO_DEEP', source: input, line: 2 })
      expect(record.movableInkFailure.reason).toMatch(REASON)
      expect(record.raw).toBe(readFileSync(input, 'utf8').split('\n')[1])
      expect(readJsonLines(journal).filter((l) => l.outcome === 'failed')).toEqual([
        { input: 0, item: 1, line: 2, outcome: 'failed' }
      ])
      // The failed-events file replays as it is: refused again, the same way, nothing sent.
      const replay = await runMain(['send', failed, ...args.slice(2, 6), '--failed', path('again.jsonl')], {
        env,
        cwd: dir
      })
      expect(replay.code).toBe(1)
      expect(replay.stdout).toMatch(REASON)
      expect(readJsonLines(standIn.recordFile as string)).toHaveLength(extra[0] === '--batch' ? 1 : neighbours)
    })
  })
})

describe('preview: an event nested 6,000 levels deep', () => {
  it('is refused with its place and reason, the others previewed, exit 1', async () => {
    const input = writeInput()
    const json = await runMain(['preview', input, '--json'])
    expect(json.code).toBe(1)
    const items = JSON.parse(json.stdout)
    expect(items.map((i: { event?: string; refused?: string }) => i.event ?? i.refused)).toEqual([
      'track "Signed Up"',
      'too deep',
      'track "Signed Up"'
    ])
    expect(items[1]).toMatchObject({ source: input, line: 2, malformed: expect.stringMatching(REASON) })
    expect(json.stderr).toContain('3 events previewed, 1 with errors')
    const text = await runMain(['preview', input])
    expect(text.code).toBe(1)
    expect(text.stdout).toMatch(
      new RegExp(`── Event 2: malformed input \\(${input}:2\\)\\nErrors:\\n  ✗ Refused: ${REASON.source}`)
    )
  })
})

describe('receive: a body nested 100,000 levels deep', () => {
  it('answers 400 naming the event, with x-request-id, counts it by status, and goes on', async () => {
    const receive = await startReceive(['--username', USERNAME, '--access-secret', SECRET, '--no-record'])
    const authorization = `Basic ${Buffer.from(`${USERNAME}:${SECRET}`).toString('base64')}`
    const headers = { authorization, 'content-type': 'application/json' }
    const body = deepLine(100_000, 'm-deep')
    const response = await fetch(receive.url, { method: 'POST', headers, body })
    expect(response.status).toBe(400)
    const requestId = response.headers.get('x-request-id')
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(await response.json()).toEqual({
      message: expect.stringMatching(
        /^Refused the event \(track "Deep", messageId "m-deep"\): nested 100002 levels deep; Movable Ink's mappings/
      ),
      request_id: requestId
    })
    const next = await fetch(receive.url, { method: 'POST', headers, body: JSON.stringify(event({ event: 'x' })) })
    expect(next.headers.get('x-request-id')).toBeTruthy()
    const output = await receive.stop()
    expect(output).toMatch(/-> 400 refused: nested 100002 levels deep/)
    expect(output).toMatch(/stopped: 2 requests, .* by status: \{"400":2\}/)
  })
})
