import { spawn } from 'child_process'
import type { ChildProcess } from 'child_process'
import { createServer } from 'http'
import { connect } from 'net'
import { join } from 'path'
import { closeServer, listenOnLoopback } from '../../src/io/loopback'
import { startStandIn } from '../../src/standIn/standIn'
import { CLI, ROOT, cleanEnv, ensureBuilt, event, eventsOfBody, readJsonLines, runCli, scratch } from './helpers'

/**
 * SIGINT, SIGTERM and SIGHUP (Ctrl-C; kill, docker stop, systemd, timeout; a closed terminal) each get the
 * same clean stop from send, receive and studio, and a second signal ends the process at once (exit 130).
 * Every command runs as a child process; every wait is for something it printed or a server saw.
 */

const USERNAME = 'AKID-signals'
const SECRET = 'signals-secret-8d7c6b5a'
const env = { MOVABLE_INK_ACCESS_SECRET: SECRET }
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

beforeAll(() => ensureBuilt(), 180_000)

const { dir, path, writeJsonl } = scratch()

interface Child {
  child: ChildProcess
  output: () => string
  /** Resolves once the output matches. */
  printed: (pattern: RegExp) => Promise<void>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>
}

function start(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Child {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? dir,
    env: cleanEnv(options.env),
    stdio: 'pipe'
  })
  let output = ''
  const waiting: { pattern: RegExp; resolve: () => void }[] = []
  const seen = () => {
    for (const w of waiting.filter((w) => w.pattern.test(output))) {
      waiting.splice(waiting.indexOf(w), 1)
      w.resolve()
    }
  }
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => ((output += chunk), seen()))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => ((output += chunk), seen()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, output }))
  )
  const printed = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ pattern, resolve })
      seen()
      void exited.then(({ output: all }) => reject(new Error(`exited before printing ${pattern}: ${all}`)))
    })
  return { child, output: () => output, printed, exited }
}

describe('send on a stop signal', () => {
  it.each(SIGNALS)(
    '%s: finishes the events in flight, prints the summary and the resume command; --resume sends none twice',
    async (signal) => {
      const events = Array.from({ length: 60 }, (_, i) => event({ messageId: `${signal}-${i}` }))
      const input = writeJsonl('signal.jsonl', events)
      const journal = path('journal.jsonl')
      let accepted = 0
      let onAccepted = () => undefined as void
      const standIn = await startStandIn({
        username: USERNAME,
        password: SECRET,
        record: path('received.jsonl'),
        faults: { rateSlow: 1, slowMs: 100 },
        log: (line) => {
          if (line.includes(' -> 200 ')) onAccepted()
        }
      })
      try {
        const args = ['send', input, '--url', standIn.url, '--username', USERNAME, '--concurrency', '4']
        const run = start([...args, '--journal', journal, '--failed', path('failed.jsonl')], { env })
        onAccepted = () => {
          if (++accepted === 5) run.child.kill(signal)
        }
        const { code, output } = await run.exited
        expect(code).toBe(1)
        expect(output).toContain('Interrupted: finishing the events in flight (Ctrl-C again to quit at once).')
        expect(output).toMatch(/^Sent \d+ of \d+ events in /m)
        expect(output).toMatch(
          new RegExp(
            `Interrupted: the last event read was ${input} line \\d+; the events after it were not sent\\. Resume with: movable-ink send --resume ${journal} ${input}`
          )
        )
        const done = readJsonLines(journal).filter((line) => line.outcome).length
        expect(done).toBeLessThan(60)
        // Every event that was sent is journaled: the resume sends exactly the others, none twice.
        const resumed = await runCli([...args, '--resume', journal], { env, cwd: dir })
        expect(resumed.code).toBe(0)
        expect(resumed.stdout).toContain(`Skipped ${done} events already done`)
        const stored = readJsonLines(standIn.recordFile as string).flatMap((r) =>
          eventsOfBody(r.body).map((e) => e.messageId)
        )
        expect(stored.length - new Set(stored).size).toBe(0)
        expect(new Set(stored)).toEqual(new Set(events.map((e) => e.messageId)))
      } finally {
        await standIn.close()
      }
    }
  )

  it('quits at once on a second signal, exit 130, while the events in flight are still waiting', async () => {
    // A server that never answers: the clean stop would wait for the events in flight for ever.
    let arrived = () => undefined as void
    const firstRequest = new Promise<void>((resolve) => (arrived = resolve))
    const server = createServer(() => arrived())
    const port = await listenOnLoopback(server)
    try {
      const input = writeJsonl('held.jsonl', [event(), event(), event()])
      const url = `http://127.0.0.1:${port}/behavioral/held`
      const run = start(['send', input, '--url', url, '--username', USERNAME, '--no-journal', '--workers', '0'], {
        env
      })
      await firstRequest
      run.child.kill('SIGINT')
      await run.printed(/Interrupted: finishing the events in flight/)
      run.child.kill('SIGTERM')
      const { code } = await run.exited
      expect(code).toBe(130)
    } finally {
      await closeServer(server, true)
    }
  })
})

describe('receive on a stop signal', () => {
  const auth = `Basic ${Buffer.from(`${USERNAME}:${SECRET}`).toString('base64')}`
  const receiveArgs = ['receive', '--username', USERNAME, '--access-secret', SECRET, '--no-record']

  async function started(extra: string[] = []) {
    const run = start([...receiveArgs, ...extra])
    await run.printed(/^listening on http:\/\/127\.0\.0\.1:(\d+)\n/)
    const port = Number(/^listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(run.output())?.[1])
    return { run, port, url: `http://127.0.0.1:${port}/behavioral/local-stand-in` }
  }

  it.each(SIGNALS)('%s: prints its counts and exits 0', async (signal) => {
    const { run, url } = await started(['--no-endpoint'])
    const response = await fetch(url, { method: 'POST', headers: { authorization: auth }, body: '{"type":"track"}' })
    expect(response.status).toBe(200)
    run.child.kill(signal)
    const { code, output } = await run.exited
    expect(code).toBe(0)
    expect(output).toMatch(/stopped: 1 requests, 1 accepted: 1 events stored .* by status: \{"200":1\}/)
  })

  /**
   * A client whose request the server has begun: it asks for 100-continue, which Node's server sends once it
   * has read the headers; then `body` (all of it, or the start of a body that never ends).
   */
  function begunRequest(port: number, body: string, length = body.length) {
    const socket = connect(port, '127.0.0.1')
    socket.on('error', () => undefined)
    const head = `POST /behavioral/local-stand-in HTTP/1.1\r\nhost: x\r\nauthorization: ${auth}\r\ncontent-length: ${length}\r\nexpect: 100-continue\r\n\r\n`
    socket.write(head)
    const begun = new Promise<void>((resolve) => {
      let answer = ''
      socket.on('data', (chunk: Buffer) => {
        answer += chunk.toString()
        if (answer.includes('100 Continue')) {
          socket.write(body)
          resolve()
        }
      })
    })
    return { socket, begun }
  }

  it('stops within a second while an injected slow answer and a client sending a byte a second are pending', async () => {
    const { run, port } = await started(['--no-endpoint', '--rate-slow', '1', '--slow-ms', '600000'])
    // The slow answer: the whole request is in, its answer held back for ten minutes.
    const held = begunRequest(port, '{"type":"track"}')
    // The trickling client: a body of 1,000 bytes, one byte a second.
    const trickle = begunRequest(port, '{', 1000)
    const ticker = setInterval(() => trickle.socket.write(' '), 1000)
    try {
      await Promise.all([held.begun, trickle.begun])
      const stopAsked = Date.now()
      run.child.kill('SIGINT')
      const { code, output } = await run.exited
      expect(code).toBe(0)
      // Before, it waited for both for ever; the stand-in gives them half a second.
      expect(Date.now() - stopAsked).toBeLessThan(5000)
      expect(output).toMatch(/stopped: \d+ requests, 0 accepted: /)
    } finally {
      clearInterval(ticker)
      held.socket.destroy()
      trickle.socket.destroy()
    }
  })

  it('quits at once, exit 130, on a second signal while it is stopping', async () => {
    const { run, port } = await started(['--no-endpoint'])
    // A request whose body never comes: the first stop gives it half a second; the second signal comes within it.
    const pending = begunRequest(port, '{', 1000)
    try {
      await pending.begun
      run.child.kill('SIGINT')
      run.child.kill('SIGTERM')
      const { code, output } = await run.exited
      expect(code).toBe(130)
      expect(output).not.toContain('stopped:')
    } finally {
      pending.socket.destroy()
    }
  })
})

describe('studio on a stop signal', () => {
  it.each(SIGNALS)('%s: stops and exits 0', async (signal) => {
    const run = start(['studio', join(ROOT, 'examples', 'events', '01-identify.json')])
    await run.printed(/movable-ink studio: open http:\/\/127\.0\.0\.1:\d+\/\?token=/)
    run.child.kill(signal)
    const { code } = await run.exited
    expect(code).toBe(0)
  })
})

describe('the stop-signal handler every command uses (src/cli/signals.ts)', () => {
  it.each([
    ['SIGHUP', 'SIGTERM'],
    ['SIGTERM', 'SIGINT'],
    ['SIGINT', 'SIGHUP']
  ] as [NodeJS.Signals, NodeJS.Signals][])('%s, then %s while stopping: exit 130', async (first, second) => {
    const signals = join(ROOT, 'dist', 'cli', 'signals.js')
    const script = `require(${JSON.stringify(
      signals
    )}).untilStopSignal().then((s) => { console.log('stopping on ' + s); setTimeout(() => process.exit(0), 600000) })
setInterval(() => undefined, 1000) // a server's life: something keeps the process running
console.log('ready')`
    const child = spawn(process.execPath, ['-e', script], { stdio: 'pipe' })
    let output = ''
    const waiting: [string, () => void][] = []
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
      waiting.filter(([text]) => output.includes(text)).forEach(([, resolve]) => resolve())
    })
    const printed = (text: string) =>
      new Promise<void>((resolve) => (output.includes(text) ? resolve() : waiting.push([text, resolve])))
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    await printed('ready')
    child.kill(first)
    await printed(`stopping on ${first}`)
    child.kill(second)
    expect(await exited).toBe(130)
  })
})
