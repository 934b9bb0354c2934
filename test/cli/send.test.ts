import { readFileSync, writeFileSync, existsSync } from 'fs'
import { createServer } from 'http'
import { join } from 'path'
import { closeServer, listenOnLoopback } from '../../src/io/loopback'
import type { StandIn } from '../../src/standIn/standIn'
import type { Faults } from '../../src/standIn/faults'
import { ensureBuilt, event, eventsOfBody, runCli, runMain, tempDir, withStandIn } from './helpers'
import type { RunResult } from './helpers'

const USERNAME = 'AKID-send'
const SECRET = 'send-secret-0a1b2c3d4e'
const BASIC = Buffer.from(`${USERNAME}:${SECRET}`).toString('base64')

beforeAll(() => ensureBuilt(), 180_000)

const dir = tempDir()
let n = 0
const file = (name: string, text: string) => {
  const path = join(dir, `${n++}-${name}`)
  writeFileSync(path, text)
  return path
}
const jsonl = (events: unknown[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n'

interface Received {
  headers: Record<string, string>
  body: unknown
}
const received = (standIn: StandIn): Received[] =>
  standIn.recordFile
    ? readFileSync(standIn.recordFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : []
/** The messageIds the stand-in accepted, one per event (batches are {"events": [...]}). */
const receivedIds = (standIn: StandIn): string[] =>
  received(standIn).flatMap((r) => eventsOfBody(r.body).map((e) => e.messageId))

const inStandIn = <T>(
  faults: Faults | undefined,
  run: (standIn: StandIn) => Promise<T>,
  credentials = { username: USERNAME, password: SECRET }
): Promise<T> => withStandIn({ ...credentials, record: join(dir, `received-${n++}.jsonl`), faults, seed: 42 }, run)

const settings = (standIn: StandIn) => ['--url', standIn.url, '--username', USERNAME]
const env = { MOVABLE_INK_ACCESS_SECRET: SECRET }

function expectNoSecret(...texts: string[]) {
  for (const text of texts) {
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain(BASIC)
  }
}

describe('movable-ink send', () => {
  it('delivers a JSON file holding one event, a JSON array and a JSON Lines file, exiting 0', async () => {
    await inStandIn(undefined, async (standIn) => {
      const one = event({ messageId: 'one' })
      const array = [event({ messageId: 'a1' }), event({ messageId: 'a2', type: 'identify', traits: { plan: 'pro' } })]
      const lines = [
        event({ messageId: 'l1' }),
        event({ messageId: 'l2', type: 'page', name: 'Home', event: undefined })
      ]
      const summaryPath = join(dir, 'summary.json')
      const result = await runMain(
        [
          'send',
          file('one.json', JSON.stringify(one, null, 2)),
          file('array.json', JSON.stringify(array, null, 2)),
          file('lines.jsonl', jsonl(lines)),
          ...settings(standIn),
          '--summary-json',
          summaryPath,
          '--verbose'
        ],
        { env, cwd: dir }
      )
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(receivedIds(standIn).sort()).toEqual(['a1', 'a2', 'l1', 'l2', 'one'])
      expect(result.stdout).toMatch(/✓ page "Home" +200 +\d+ ms/)
      expect(result.stdout).toContain('Sent 5 of 5 events')
      const summary = JSON.parse(readFileSync(summaryPath, 'utf8'))
      expect(summary).toMatchObject({ sent: 5, failed: 0, retries: 0, read: 5 })
      for (const key of ['durationMs', 'eventsPerSecond', 'peakRssBytes']) expect(typeof summary[key]).toBe('number')
      expect(summary.peakRssBytes).toBeGreaterThan(10_000_000)
      // The request is the destination's: basic auth from the settings, JSON body, Segment's user agent.
      expect(received(standIn)[0].headers).toMatchObject({
        'user-agent': 'Segment (Actions)',
        'content-type': 'application/json',
        authorization: 'Basic [redacted]'
      })
      expectNoSecret(result.stdout, result.stderr)
    })
  })

  it('reads events from stdin with -', async () => {
    await inStandIn(undefined, async (standIn) => {
      const result = await runCli(['send', '-', ...settings(standIn)], {
        env,
        cwd: dir,
        input: jsonl([event({ messageId: 's1' }), event({ messageId: 's2' })])
      })
      expect(result.code).toBe(0)
      expect(receivedIds(standIn).sort()).toEqual(['s1', 's2'])
    })
  })

  it('reports a malformed line with its line number, keeps it in the failed file, sends the rest and exits 1', async () => {
    await inStandIn(undefined, async (standIn) => {
      const input = file(
        'broken.jsonl',
        [
          JSON.stringify(event({ messageId: 'ok1' })),
          '{"type": "track", oops',
          JSON.stringify(event({ messageId: 'ok2' }))
        ].join('\n')
      )
      const failed = join(dir, 'broken-failed.jsonl')
      const result = await runMain(['send', input, ...settings(standIn), '--failed', failed], { env, cwd: dir })
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(`${input}:2: malformed input, not valid JSON`)
      expect(receivedIds(standIn).sort()).toEqual(['ok1', 'ok2'])
      const [record] = readFileSync(failed, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
      expect(record).toMatchObject({
        movableInkFailure: { source: input, line: 2, reason: expect.stringContaining('malformed input') },
        raw: '{"type": "track", oops'
      })
    })
  })

  it('does not retry events the destination refuses, writes them with the reason, and the failed file replays', async () => {
    const events = [
      event({ messageId: 'r1' }),
      event({ messageId: 'r2', timestamp: undefined }),
      event({ messageId: 'r3' })
    ]
    const failed = join(dir, 'refused-failed.jsonl')
    // Wrong credentials: 401 for every event, not retried.
    const first = await inStandIn(
      undefined,
      (standIn) =>
        runMain(['send', file('refused.jsonl', jsonl(events)), ...settings(standIn), '--failed', failed], {
          env: { MOVABLE_INK_ACCESS_SECRET: 'wrong-secret-123' },
          cwd: dir
        }),
      {
        username: USERNAME,
        password: SECRET
      }
    )
    expect(first.code).toBe(1)
    expect(first.stdout).toContain('Sent 0 of 3 events')
    expect(first.stdout).toContain('0 retries')
    expect(first.stdout).toMatch(/2 × HTTP 401 INVALID_AUTHENTICATION/)
    expect(first.stdout).toMatch(/1 × HTTP 400 PAYLOAD_VALIDATION_FAILED: .*timestamp/)
    const records = readFileSync(failed, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(records).toHaveLength(3)
    expect(records.map((r) => r.event.messageId).sort()).toEqual(['r1', 'r2', 'r3'])
    expect(records.find((r) => r.event.messageId === 'r1').movableInkFailure).toMatchObject({
      status: 401,
      errortype: 'INVALID_AUTHENTICATION',
      attempts: 1,
      line: 1
    })
    const failedText = readFileSync(failed, 'utf8')
    expectNoSecret(first.stdout, first.stderr, failedText)
    expect(failedText).not.toContain('wrong-secret-123')
    expect(failedText).not.toContain(USERNAME)

    // Replayed with the right credentials: the two good events go, the one without timestamp fails again.
    await inStandIn(undefined, async (standIn) => {
      const replayFailed = join(dir, 'replay-failed.jsonl')
      const replay = await runMain(['send', failed, ...settings(standIn), '--failed', replayFailed], { env, cwd: dir })
      expect(replay.code).toBe(1)
      expect(receivedIds(standIn).sort()).toEqual(['r1', 'r3'])
      expect(readFileSync(replayFailed, 'utf8').trim().split('\n')).toHaveLength(1)
    })
  })

  it.each([
    ['one event per request', []],
    ['batches', ['--batch', '7']]
  ])('retries 429s, 500s and dropped connections: %s, none lost, none reported twice', async (_, extra) => {
    const events = Array.from({ length: 60 }, (_, i) => event({ messageId: `f${i}` }))
    await inStandIn({ rate429: 0.2, retryAfterSeconds: 0, rate500: 0.15, rateDrop: 0.15 }, async (standIn) => {
      const summaryPath = join(dir, `faults-${n++}.json`)
      const result = await runMain(
        [
          'send',
          file('faults.jsonl', jsonl(events)),
          ...settings(standIn),
          '--concurrency',
          '4',
          '--retries',
          '12',
          '--retry-base-ms',
          '5',
          '--max-delay-ms',
          '50',
          '--summary-json',
          summaryPath,
          ...extra
        ],
        { env, cwd: dir }
      )
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      const summary = JSON.parse(readFileSync(summaryPath, 'utf8'))
      expect(summary).toMatchObject({ sent: 60, failed: 0 })
      expect(summary.retries).toBeGreaterThan(0)
      const ids = receivedIds(standIn)
      expect(ids.sort()).toEqual(events.map((e) => e.messageId as string).sort())
      expect(new Set(ids).size).toBe(60)
      expect(standIn.stats.byStatus['429']).toBeGreaterThan(0)
      expect(standIn.stats.byStatus['500']).toBeGreaterThan(0)
    })
  })

  it("waits at least a 429's Retry-After before the next attempt", async () => {
    // One event at a time, so the waits add up: the run cannot end sooner than one second per 429 answered.
    const events = Array.from({ length: 6 }, (_, i) => event({ messageId: `ra${i}` }))
    await inStandIn({ rate429: 0.4, retryAfterSeconds: 1 }, async (standIn) => {
      const started = Date.now()
      const result = await runMain(
        [
          'send',
          file('retry-after.jsonl', jsonl(events)),
          ...settings(standIn),
          '--concurrency',
          '1',
          '--retries',
          '10',
          '--retry-base-ms',
          '1',
          '--max-delay-ms',
          '5000'
        ],
        { env, cwd: dir }
      )
      const elapsed = Date.now() - started
      expect(result.code).toBe(0)
      const answered429 = standIn.stats.byStatus['429'] ?? 0
      expect(answered429).toBeGreaterThan(0)
      expect(elapsed).toBeGreaterThanOrEqual(answered429 * 1000)
    })
  })

  it('gives up after --retries, writing each failed event once', async () => {
    const events = Array.from({ length: 5 }, (_, i) => event({ messageId: `g${i}` }))
    await inStandIn({ rate500: 1 }, async (standIn) => {
      const failed = join(dir, 'gave-up.jsonl')
      const summaryPath = join(dir, 'gave-up-summary.json')
      const result = await runMain(
        [
          'send',
          file('gave-up.jsonl', jsonl(events)),
          ...settings(standIn),
          '--retries',
          '2',
          '--retry-base-ms',
          '1',
          '--failed',
          failed,
          '--summary-json',
          summaryPath,
          '--batch',
          '2'
        ],
        { env, cwd: dir }
      )
      expect(result.code).toBe(1)
      expect(JSON.parse(readFileSync(summaryPath, 'utf8'))).toMatchObject({ sent: 0, failed: 5, retries: 10 })
      const records = readFileSync(failed, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
      expect(records.map((r) => r.event.messageId).sort()).toEqual(['g0', 'g1', 'g2', 'g3', 'g4'])
      expect(records[0].movableInkFailure).toMatchObject({
        status: 500,
        attempts: 3,
        reason: expect.stringContaining('Gave up after 3 attempts')
      })
    })
  })

  it('retries requests that time out (--timeout), then reports them', async () => {
    await inStandIn({ rateSlow: 1, slowMs: 1500 }, async (standIn) => {
      const failed = join(dir, 'timeouts.jsonl')
      const result = await runMain(
        [
          'send',
          file('slow.jsonl', jsonl([event({ messageId: 't1' })])),
          ...settings(standIn),
          '--timeout',
          '150',
          '--retries',
          '1',
          '--retry-base-ms',
          '1',
          '--failed',
          failed
        ],
        { env, cwd: dir }
      )
      expect(result.code).toBe(1)
      expect(result.stdout).toContain('1 retry')
      const [record] = readFileSync(failed, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
      expect(record.movableInkFailure).toMatchObject({
        status: 408,
        attempts: 2,
        reason: expect.stringContaining('did not answer in time')
      })
    })
  })

  it.each([
    ['headers and half the body', '100', '{"message":"o'],
    ['the headers only', undefined, '']
  ])(
    'reports an answer cut off after %s at once, as a dropped connection: retried, counted as unknown',
    async (_, length, part) => {
      const server = createServer((req, res) => {
        req.resume()
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json', ...(length ? { 'content-length': length } : {}) })
          res.write(part)
          setTimeout(() => res.socket?.destroy(), 20)
        })
      })
      const port = await listenOnLoopback(server)
      try {
        for (const workers of ['0', '2']) {
          const failed = join(dir, `cut-${n++}.jsonl`)
          const summaryPath = join(dir, `cut-summary-${n++}.json`)
          const result = await runMain(
            [
              'send',
              file('cut.jsonl', jsonl([event({ messageId: 'cut' })])),
              ...['--url', `http://127.0.0.1:${port}/behavioral/k`, '--username', USERNAME, '--workers', workers],
              ...['--timeout', '120000', '--retries', '1', '--retry-base-ms', '1', '--failed', failed],
              ...['--summary-json', summaryPath]
            ],
            { env, cwd: dir }
          )
          expect(result.code).toBe(1)
          const summary = JSON.parse(readFileSync(summaryPath, 'utf8'))
          expect(summary).toMatchObject({ failed: 1, retries: 1, retriedAfterUnknownOutcome: 1 })
          // The timeout is two minutes: a cut answer must not wait for it.
          expect(summary.durationMs).toBeLessThan(60_000)
          expect(JSON.parse(readFileSync(failed, 'utf8')).movableInkFailure).toMatchObject({
            status: 503,
            attempts: 2,
            reason: expect.stringMatching(
              /^The connection to Movable Ink dropped before a complete answer came \(ECONNRESET\): Movable Ink may have stored the event/
            )
          })
          expect(result.stdout).toContain('Movable Ink may have stored them twice')
        }
      } finally {
        await closeServer(server, true)
      }
    }
  )

  it('uses a mapping file in Segment mapping JSON, and skips events its subscription does not match', async () => {
    const mapping = file(
      'mapping.json',
      JSON.stringify({
        subscribe: 'type = "track"',
        mapping: {
          data: {
            type: { '@path': '$.type' },
            event: { '@template': 'segment:{{event}}' },
            userId: { '@path': '$.userId' },
            timestamp: { '@path': '$.timestamp' },
            plan: {
              '@if': { exists: { '@path': '$.properties.plan' }, then: { '@path': '$.properties.plan' }, else: 'none' }
            }
          }
        }
      })
    )
    await inStandIn(undefined, async (standIn) => {
      const result = await runMain(
        [
          'send',
          file('mapped.jsonl', jsonl([event({ event: 'Signed Up' }), event({ type: 'identify' })])),
          ...settings(standIn),
          '--mapping',
          mapping,
          '--verbose'
        ],
        { env, cwd: dir }
      )
      expect(result.code).toBe(0)
      expect(result.stdout).toContain('1 not subscribed')
      const [only] = received(standIn)
      expect(only.body).toEqual({
        type: 'track',
        event: 'segment:Signed Up',
        userId: 'user-1',
        timestamp: expect.any(String),
        plan: 'pro'
      })
    })
  })

  it('refuses an Access Secret shorter than 8 characters before sending, exit 2, naming the rule and not the secret', async () => {
    const short = 'k3y9Z'
    let requests = 0
    const server = createServer((req, res) => {
      requests++
      res.end()
    })
    const port = await listenOnLoopback(server)
    try {
      const args = ['send', file('short.jsonl', jsonl([event()])), '--url', `http://127.0.0.1:${port}/behavioral/k`]
      const result = await runMain([...args, '--username', USERNAME], {
        env: { MOVABLE_INK_ACCESS_SECRET: short },
        cwd: dir
      })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('The Access Secret is shorter than 8 characters')
      expect(requests).toBe(0)
      for (const text of [result.stdout, result.stderr]) expect(text).not.toContain(short)
      // The stand-in command takes its secret through the same rule.
      const receive = await runMain(['receive', '--username', USERNAME, '--access-secret', short, '--no-record'])
      expect(receive.code).toBe(2)
      expect(receive.stderr).toContain('shorter than 8 characters')
      // A secret of one letter, found in most words: the refusal is still readable, not masked letter by letter.
      const letter = await runMain([...args, '--username', USERNAME], {
        env: { MOVABLE_INK_ACCESS_SECRET: 's' },
        cwd: dir
      })
      expect(letter.code).toBe(2)
      expect(letter.stderr).toContain("The Access Secret is shorter than 8 characters: Movable Ink's are longer")
      expect(letter.stderr).not.toContain('[redacted]')
    } finally {
      await closeServer(server, true)
    }
  })

  it('refuses a framing header set by the mapping (Transfer-Encoding: chunked) before sending, with the reason', async () => {
    const mapping = file(
      'framing.json',
      JSON.stringify({ data: { '@path': '$.' }, headers: { 'Transfer-Encoding': 'chunked' } })
    )
    await inStandIn(undefined, async (standIn) => {
      const failed = join(dir, 'framing-failed.jsonl')
      const result = await runMain(
        [
          'send',
          file('framing.jsonl', jsonl([event()])),
          ...settings(standIn),
          '--mapping',
          mapping,
          '--failed',
          failed
        ],
        { env, cwd: dir }
      )
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(
        /1 × HTTP 400 PAYLOAD_VALIDATION_FAILED: Header "Transfer-Encoding" cannot be set in the Headers field: the HTTP client frames the body itself/
      )
      expect(receivedIds(standIn)).toEqual([])
      expect(standIn.stats.requests).toBe(0)
    })
  })

  it('delivers to the embedded stand-in when no URL is given', async () => {
    const record = join(dir, 'embedded.jsonl')
    const result = await runMain(
      ['send', file('embedded.jsonl', jsonl([event({ messageId: 'e1' })])), '--record', record],
      { cwd: dir }
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('delivering to the embedded Movable Ink stand-in')
    expect(result.stdout).toContain(`stored them in ${record}`)
    expect(JSON.parse(readFileSync(record, 'utf8')).body.messageId).toBe('e1')
  })

  // Each case is a process of its own, sharing nothing: they run side by side.
  it.concurrent.each([
    [['send', 'does-not-exist.jsonl', '--url', 'https://example.com/x', '--username', 'u'], 'does not exist'],
    [
      ['send', 'examples/events/01-identify.json', '--url', 'https://example.com/x', '--username', 'u'],
      'No Access Secret'
    ],
    [
      [
        'send',
        'examples/events/01-identify.json',
        '--url',
        'http://example.com/x',
        '--username',
        'u',
        '--access-secret',
        'abcdefgh'
      ],
      'must use https'
    ],
    [['send', 'examples/events/01-identify.json', '--concurrency', 'lots'], 'expected a whole number'],
    [['send', 'examples/events/01-identify.json', '--no-such-flag'], 'unknown option'],
    [['send'], 'No input']
  ])('exits 2 for a usage or settings error: %j', async (args, message) => {
    const result: RunResult = await runMain(args, { env: { MOVABLE_INK_ACCESS_SECRET: '' } })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
    expect(result.stderr).not.toContain('abcdefgh')
    expect(existsSync(join(dir, 'does-not-exist.jsonl'))).toBe(false)
  })
})

describe('npm start (movable-ink demo)', () => {
  it('package.json runs the demo after building, and the bin points at the compiled command', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'))
    expect(pkg.scripts.start).toMatch(/npm run build.*&& node dist\/cli\/main\.js demo$/)
    expect(pkg.bin['movable-ink']).toBe('dist/cli/main.js')
  })

  it('delivers the bundled examples to the embedded stand-in, shows what the default event mappings made of each, and exits 0', async () => {
    const record = join(dir, 'demo.jsonl')
    const result = await runMain(['demo', '--record', record], {
      env: { MOVABLE_INK_URL: 'https://must-not-be-used.example.com/x' }
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const mapped: [string, string, string][] = [
      ['identify', 'Identify', 'Identify'],
      ['track "Products Searched"', 'Products Searched', 'Search'],
      ['track "Newsletter Subscribed"', 'Newsletter Subscribed', 'Custom'],
      ['track "Product Viewed"', 'Product Viewed', 'Product'],
      ['track "Product Added"', 'Product Added', 'CartAdd'],
      ['track "Order Completed"', 'Order Completed', 'Conversion'],
      ['page "Home"', 'Page Viewed', 'Custom'],
      ['screen "Order Confirmation"', 'Page Viewed', 'Custom'],
      ['identify', 'Engage Audience', 'Custom'],
      ['track "Audience Entered"', 'Engage Audience Entered/Exited', 'Custom'],
      ['track "Audience Exited"', 'Engage Audience Entered/Exited', 'Custom'],
      ['identify', 'Engage Computed Trait', 'Custom']
    ]
    for (const [event, mapping, schema] of mapped) {
      expect(result.stdout).toMatch(new RegExp(`✓ ${event} +200 +\\d+ ms`))
      expect(result.stdout).toMatch(new RegExp(`✓ ${event} +→ "${mapping}" \\(schema ${schema}\\): \\w`))
    }
    // The default endpoint file maps no group event: the stand-in refuses it as Movable Ink would, and says why.
    expect(result.stdout).toMatch(/✗ group +400 +\d+ ms .*No active event mapping matches this event/)
    expect(result.stdout).toMatch(
      /✗ group +refused: No active event mapping .*fix: add an event mapping whose match criterion is \.type == "group"/
    )
    expect(result.stdout).toContain('Sent 12 of 13 events')
    expect(result.stdout).toContain(`The stand-in stored 12 events in ${record}; it refused 1.`)
    expect(result.stdout).toContain('The refused event has no event mapping in the default endpoint file')
    const records = readFileSync(record, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(records.map((r) => r.body.type)).toEqual([
      'identify',
      'track',
      'track',
      'track',
      'track',
      'track',
      'page',
      'screen',
      'identify',
      'track',
      'track',
      'identify'
    ])
    expect(records.map((r) => r.movableInk[0].mapping)).toEqual(mapped.map(([, mapping]) => mapping))
    expect(records.filter((r) => r.body.userId === undefined).map((r) => r.body.anonymousId)).toEqual(['anon-5678'])
    // Re-stamped into the last minutes, in their order, so Movable Ink's 30-day window never holds them back.
    const times = records.map((r) => Date.parse(r.body.timestamp))
    expect(times.every((t) => Date.now() - t < 10 * 60_000)).toBe(true)
    expect([...times].sort((a, b) => a - b)).toEqual(times)
  })
})
