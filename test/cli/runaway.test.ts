import { spawn } from 'child_process'
import { readFileSync, writeFileSync } from 'fs'
import { join } from 'path'
import { CLI, cleanEnv, ensureBuilt, event, ROOT, runCli, scratch, startReceive } from './helpers'
import type { ReceiveProcess } from './helpers'

/**
 * A runaway jq expression in Movable Ink's event mappings is one event's problem, never the process's:
 * receive keeps answering (another client's event waits for one runaway at most), preview ends with the problem,
 * test --coverage does not pay a deadline per event, the studio's API answers within the deadline, and every
 * server stops on SIGTERM even while jq is stuck. The deadline is set low (--jq-deadline-ms) so the tests need
 * not wait the default second; each command gets one runaway (the kinds of runaway: test/endpointModel).
 */

const DEADLINE = 300
const USER = 'runaway-user'
const SECRET = 'runaway-secret-0123'
const AUTH = `Basic ${Buffer.from(`${USER}:${SECRET}`).toString('base64')}`

/** One runaway per place: a match criterion that repeats, a field path that recurses. */
const RUNAWAYS: ['match' | 'path', string][] = [
  ['match', 'repeat(.)'],
  ['path', 'def f: f; f']
]

/** The default endpoint file with one more mapping whose match criterion (or field path) runs away for "Runaway". */
function endpointWith(runaway: string, where: 'match' | 'path'): string {
  const spec = JSON.parse(readFileSync(join(ROOT, 'examples', 'movable-ink-endpoint.json'), 'utf8'))
  const guarded = `.event == "Runaway" and ((${runaway}) | . != null)`
  spec.mappings.unshift({
    name: 'Runaway mapping',
    schema: 'Custom',
    match: where === 'match' ? guarded : '.event == "Runaway"',
    active: true,
    fields: [
      { name: 'Timestamp', path: '.timestamp', type: 'string', required: true },
      { name: 'Stuck', path: where === 'path' ? runaway : '.event', type: 'any', required: false }
    ]
  })
  const file = scratch().path('endpoint.json')
  writeFileSync(file, JSON.stringify(spec))
  return file
}

function post(url: string, body: unknown): Promise<{ status: number; text: string; ms: number }> {
  const started = Date.now()
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: AUTH },
    body: JSON.stringify(body)
  }).then(async (res) => ({ status: res.status, text: await res.text(), ms: Date.now() - started }))
}

const productViewed = () =>
  event({ event: 'Product Viewed', properties: { product_id: 'p1', name: 'Shoe', price: 10, url: 'https://x/p1' } })

async function receiveWith(endpoint: string): Promise<ReceiveProcess> {
  const args = ['--endpoint', endpoint, '--no-record', '--quiet', '--username', USER, '--access-secret', SECRET]
  return startReceive([...args, '--jq-deadline-ms', String(DEADLINE)])
}

beforeAll(() => ensureBuilt(), 180_000)

describe('a runaway', () => {
  it.each(RUNAWAYS)(
    'as a %s (%s): receive refuses that event, answers the others meanwhile and after',
    async (where, runaway) => {
      const receive = await receiveWith(endpointWith(runaway, where))
      try {
        const stuck = post(receive.url, event({ event: 'Runaway' }))
        const meanwhile = await post(receive.url, productViewed())
        expect(meanwhile.status).toBe(200)
        const refused = await stuck
        expect(refused.status).toBe(400)
        expect(refused.text).toContain(`did not finish within ${DEADLINE} ms`)
        expect(refused.text).toContain('Runaway mapping')
        for (let i = 0; i < 3; i++) expect((await post(receive.url, productViewed())).status).toBe(200)
      } finally {
        await receive.stop()
      }
    },
    60_000
  )
})

it("receive answers another client's event while a batch of 20 runaways is refused, without a deadline each", async () => {
  const receive = await receiveWith(endpointWith('def f: f; f', 'path'))
  try {
    const batch = post(receive.url, { events: Array.from({ length: 20 }, () => event({ event: 'Runaway' })) })
    await new Promise((resolve) => setTimeout(resolve, 50))
    const plain = await post(receive.url, productViewed())
    expect(plain.status).toBe(200)
    // Behind all 20 it waited 20 deadlines (6 s); behind one runaway it waits one, and a worker's restart.
    expect(plain.ms).toBeLessThan(10 * DEADLINE)
    const refused = await batch
    expect(refused.status).toBe(400)
    expect(refused.text).toContain(`did not finish within ${DEADLINE} ms`)
    expect(refused.ms).toBeLessThan(20 * DEADLINE)
  } finally {
    await receive.stop()
  }
}, 60_000)

it('test --coverage reports a runaway on every event it concerns, without waiting a deadline for each', async () => {
  const s = scratch()
  const input = s.writeJsonl(
    'export.jsonl',
    Array.from({ length: 20 }, () => event({ event: 'Runaway' }))
  )
  const endpoint = endpointWith('repeat(.)', 'match')
  const started = Date.now()
  const args = ['test', '--coverage', input, '--endpoint', endpoint, '--jq-deadline-ms', String(DEADLINE)]
  const result = await runCli([...args, '--workers', '0'])
  expect(result.code).toBe(0)
  expect(result.stdout).toContain('refused by Movable Ink (jq-error): 20 (100.0%)')
  expect(result.stdout).toContain(`its match criterion did not finish within ${DEADLINE} ms`)
  // 20 deadlines, and as many again to name the expression, before; now two, and one to name it.
  expect(Date.now() - started).toBeLessThan(2 * 20 * DEADLINE)
}, 60_000)

it("preview ends, with the runaway as that event's problem and its neighbours evaluated", async () => {
  const s = scratch()
  const input = s.writeJsonl('events.jsonl', [productViewed(), event({ event: 'Runaway' }), productViewed()])
  const endpoint = endpointWith('def f: f; f', 'path')
  const result = await runCli(['preview', input, '--endpoint', endpoint, '--jq-deadline-ms', String(DEADLINE)])
  expect(result.code).toBe(0)
  expect(result.stdout).toContain(`did not finish within ${DEADLINE} ms`)
  expect(result.stdout.match(/event mapping "Product Viewed"/g)).toHaveLength(2)
}, 60_000)

it('an expression that explodes while it compiles is a usage error naming the mapping, not a hang', async () => {
  const s = scratch()
  const input = s.writeJsonl('events.jsonl', [productViewed()])
  const endpoint = endpointWith('"x" * 900000000', 'path')
  const started = Date.now()
  const result = await runCli(['preview', input, '--endpoint', endpoint, '--jq-deadline-ms', String(DEADLINE)])
  expect(result.code).toBe(2)
  expect(result.stderr).toContain('Runaway mapping')
  expect(Date.now() - started).toBeLessThan(20_000)
}, 60_000)

/** Starts a command, waits for `ready` in its output, and gives the child and what it printed. */
function startCommand(args: string[], ready: RegExp) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: cleanEnv() })
  let out = ''
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
  const started = new Promise<RegExpExecArray>((done, fail) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      const match = ready.exec(out)
      if (match) done(match)
    })
    void exited.then((code) => fail(new Error(`exited ${code} before it was ready: ${out}`)))
  })
  return { child, exited, started }
}

it('receive stops on SIGTERM while jq is stuck on an event', async () => {
  const endpoint = endpointWith('repeat(.)', 'match')
  const args = ['receive', '--endpoint', endpoint, '--no-record', '--username', USER, '--access-secret', SECRET]
  const { child, exited, started } = startCommand([...args, '--jq-deadline-ms', '20000'], /post events to (\S+) /)
  const [, url] = await started
  void post(url, event({ event: 'Runaway' })).catch(() => undefined)
  await new Promise((resolve) => setTimeout(resolve, 500))
  const signalled = Date.now()
  child.kill('SIGTERM')
  await exited
  expect(Date.now() - signalled).toBeLessThan(3000)
}, 60_000)

it("the studio's API answers within the deadline, and the server stops on SIGTERM while jq is stuck", async () => {
  const s = scratch()
  const input = s.writeJsonl('events.jsonl', [productViewed(), event({ event: 'Runaway' })])
  const endpoint = endpointWith('def f: f; f', 'path')
  const args = ['studio', input, '--endpoint', endpoint, '--jq-deadline-ms', String(DEADLINE)]
  const { child, exited, started } = startCommand(args, /open (http:\/\/127\.0\.0\.1:(\d+))\/\?token=(\S+)/)
  const [, base, , token] = await started
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { 'x-studio-token': token, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
  const spec = JSON.parse(readFileSync(endpoint, 'utf8'))
  const began = Date.now()
  const check = api('POST', '/api/check', { endpoint: spec })
  expect((await api('GET', '/api/state')).status).toBe(200)
  const answer = await check
  expect(answer.status).toBe(200)
  expect(Date.now() - began).toBeLessThan(DEADLINE * 2 + 5000)
  expect(JSON.stringify(await answer.json())).toContain(`did not finish within ${DEADLINE} ms`)
  void api('POST', '/api/check', { endpoint: spec }).catch(() => undefined)
  child.kill('SIGTERM')
  const signalled = Date.now()
  await exited
  expect(Date.now() - signalled).toBeLessThan(3000)
}, 60_000)

it('preview stops on SIGTERM while jq is stuck', async () => {
  const s = scratch()
  const input = s.writeJsonl('events.jsonl', [event({ event: 'Runaway' })])
  const endpoint = endpointWith('repeat(.)', 'path')
  const child = spawn(process.execPath, [CLI, 'preview', input, '--endpoint', endpoint, '--jq-deadline-ms', '30000'], {
    cwd: ROOT,
    env: cleanEnv()
  })
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
  await new Promise((resolve) => setTimeout(resolve, 2500))
  const signalled = Date.now()
  child.kill('SIGTERM')
  await exited
  expect(Date.now() - signalled).toBeLessThan(3000)
}, 60_000)
