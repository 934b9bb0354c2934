import { mkdtempSync, rmSync, writeFileSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import { Redactor } from '../../src/runtime/redactor'
import { subscriptionsFrom } from '../../src/runtime/subscriptions'
import { checkInputs } from '../../src/send/inputs'
import { SendRun } from '../../src/send/runSend'
import type { SendObserver } from '../../src/send/sendObserver'

/**
 * The command listens for stop signals from its first line, so a stop can come before delivery begins (while
 * the stand-in starts or the journal opens): the run must end as interrupted, not read on or end as a success.
 */
describe('a send run stopped before delivery began', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'movable-ink-stop-early-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('reads and sends nothing, and says it was interrupted', async () => {
    const input = join(dir, 'events.jsonl')
    const event = { type: 'track', event: 'Signed Up', userId: 'u1', timestamp: new Date().toISOString() }
    writeFileSync(input, `${JSON.stringify(event)}\n`.repeat(5))
    const controller = new AbortController()
    controller.abort()
    const run = await SendRun.open(
      {
        files: [input],
        subscription: subscriptionsFrom(undefined)[0],
        concurrency: 1,
        workers: 0,
        retries: 0,
        retryBaseMs: 1,
        maxDelayMs: 1,
        failed: join(dir, 'failed.jsonl'),
        signal: controller.signal
      },
      checkInputs([input]),
      new Redactor()
    )
    const notes: string[] = []
    const observer: SendObserver = {
      note: (text) => notes.push(text),
      delivered: () => undefined,
      notSubscribed: () => undefined,
      failed: () => undefined,
      malformed: () => undefined
    }
    // Nothing may be sent: the URL is one no request could reach.
    const settings = { movable_ink_url: 'http://127.0.0.1:9/unused', username: 'user', password: 'password-1' }
    const result = await run.deliver(settings, observer)
    expect(result.summary.interrupted).toBe(true)
    expect(result.summary.sent + result.summary.failed).toBe(0)
    expect(notes.join('\n')).toMatch(/^Interrupted/m)
    expect(result.interruption).toMatch(/Interrupted/)
  })
})
