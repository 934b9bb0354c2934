import { readFileSync, writeFileSync } from 'fs'
import { join } from 'path'
import { ensureBuilt, runCli, startReceive, tempDir } from './helpers'
import type { ReceiveProcess } from './helpers'

const USERNAME = 'AKID-receive'
const SECRET = 'receive-secret-9f8e7d6c'
const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`

beforeAll(() => ensureBuilt(), 180_000)

describe('movable-ink receive (the stand-in)', () => {
  const dir = tempDir()
  const record = join(dir, 'received.jsonl')
  let receive: ReceiveProcess

  beforeAll(async () => {
    // Bodies here are about the envelope, not the mappings: store what no mapping takes.
    receive = await startReceive([
      '--port',
      '0',
      '--username',
      USERNAME,
      '--access-secret',
      SECRET,
      '--record',
      record,
      '--unmapped',
      'accept'
    ])
  })

  const post = (body: string, authorization?: string) =>
    fetch(receive.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body
    })

  it('prints "listening on http://127.0.0.1:<port>" as its first line, then the endpoint URL and its modes', () => {
    const [first, second] = receive.output().split('\n')
    expect(first).toBe(`listening on http://127.0.0.1:${receive.port}`)
    expect(second).toContain(
      `post events to http://127.0.0.1:${receive.port}/behavioral/local-stand-in with basic auth`
    )
    expect(second).toContain('(unmapped events: accept; older than 30 days: reject)')
  })

  it('answers 401 without credentials or with wrong ones', async () => {
    expect((await post('{}')).status).toBe(401)
    const wrong = await post('{}', basic(USERNAME, 'not-the-secret'))
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/)
  })

  it('answers 413 to a body of 2 MB (2,000,000 bytes) or more, and accepts one byte less', async () => {
    const padding = (size: number) => {
      const head = '{"p":"'
      return head + 'x'.repeat(size - head.length - 2) + '"}'
    }
    expect((await post(padding(2_000_000), basic(USERNAME, SECRET))).status).toBe(413)
    expect((await post(padding(1_999_999), basic(USERNAME, SECRET))).status).toBe(200)
  })

  it('takes a batch as {"events": [...]} and counts its events', async () => {
    const response = await post(JSON.stringify({ events: [{ a: 1 }, { a: 2 }, { a: 3 }] }), basic(USERNAME, SECRET))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ message: 'ok', events: 3 })
  })

  it('answers 400 to a bare JSON array, saying Movable Ink expects {"events": [...]}', async () => {
    const response = await post('[{"a":1}]', basic(USERNAME, SECRET))
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      message: 'Movable Ink expects a batch as {"events": [...]}, not a bare JSON array',
      request_id: response.headers.get('x-request-id')
    })
  })

  it('answers 413 to a batch of more than 1,000 events, or of 1,000,000 bytes or more', async () => {
    const many = await post(
      JSON.stringify({ events: Array.from({ length: 1001 }, () => ({})) }),
      basic(USERNAME, SECRET)
    )
    expect(many.status).toBe(413)
    expect(await many.json()).toMatchObject({ message: expect.stringContaining('at most 1000') })
    const big = JSON.stringify({ events: [{ p: 'x'.repeat(999_980) }] })
    expect(Buffer.byteLength(big)).toBeGreaterThanOrEqual(1_000_000)
    expect((await post(big, basic(USERNAME, SECRET))).status).toBe(413)
  })

  it('answers a key that is not valid percent-encoding (%E0%A4%A) with the JSON 404 and a request id', async () => {
    const response = await fetch(`http://127.0.0.1:${receive.port}/behavioral/%E0%A4%A`, { method: 'POST', body: '{}' })
    expect(response.status).toBe(404)
    const requestId = response.headers.get('x-request-id')
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(await response.json()).toEqual({ message: 'Behavioral endpoint key not found', request_id: requestId })
  })

  it('answers 400 to a body that is not JSON', async () => {
    const response = await post('type=track', basic(USERNAME, SECRET))
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ message: expect.stringContaining('not JSON') })
  })

  it('records each accepted request, flushed before answering 200, with the credentials redacted', async () => {
    const body = JSON.stringify({ type: 'track', event: 'Recorded', userId: 'u1', timestamp: new Date().toISOString() })
    const response = await post(body, basic(USERNAME, SECRET))
    expect(response.status).toBe(200)
    const requestId = response.headers.get('x-request-id')
    expect(await response.json()).toEqual({ message: 'ok', events: 1, request_id: requestId })
    const lines = readFileSync(record, 'utf8').trim().split('\n')
    const last = JSON.parse(lines[lines.length - 1])
    expect(last).toMatchObject({
      requestId,
      method: 'POST',
      url: '/behavioral/local-stand-in',
      movableInk: [
        { messageId: null, fate: 'stored', mapping: null, problems: [expect.stringContaining('No active')] }
      ],
      bytes: Buffer.byteLength(body),
      body: JSON.parse(body),
      headers: { authorization: 'Basic [redacted]', 'content-type': 'application/json' }
    })
  })

  it('never prints or records the secret', async () => {
    const output = await receive.stop()
    expect(output).toContain('-> 401 no credentials')
    expect(output).toContain('POST /behavioral/%E0%A4%A -> 404 unknown endpoint key')
    expect(output).toContain('-> 200 1 event: no mapping')
    expect(output).toContain('authorization: Basic [redacted]')
    expect(output).toMatch(/stopped: \d+ requests, \d+ accepted: \d+ events stored \(0 duplicates by messageId\)/)
    for (const text of [output, readFileSync(record, 'utf8')]) {
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain(basic(USERNAME, SECRET).slice(6))
    }
  })
})

describe('movable-ink receive fault injection', () => {
  it('answers 429 with Retry-After, 500, drops connections, or answers late, as asked', async () => {
    const auth = { authorization: basic('u', 'faults-secret'), 'content-type': 'application/json' }
    const start = (faults: string[]) =>
      startReceive([
        '--username',
        'u',
        '--access-secret',
        'faults-secret',
        '--no-record',
        '--quiet',
        '--no-endpoint',
        ...faults
      ])

    const asMovableInk = await start(['--rate-429', '1'])
    const bare = await fetch(asMovableInk.url, { method: 'POST', headers: auth, body: '{}' })
    expect(bare.status).toBe(429)
    expect(bare.headers.get('retry-after')).toBeNull()
    await asMovableInk.stop()

    const throttled = await start(['--rate-429', '1', '--retry-after', '7'])
    const response = await fetch(throttled.url, { method: 'POST', headers: auth, body: '{}' })
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('7')
    await throttled.stop()

    const failing = await start(['--rate-500', '1'])
    expect((await fetch(failing.url, { method: 'POST', headers: auth, body: '{}' })).status).toBe(500)
    await failing.stop()

    const dropping = await start(['--rate-drop', '1'])
    await expect(fetch(dropping.url, { method: 'POST', headers: auth, body: '{}' })).rejects.toThrow()
    await dropping.stop()

    const slow = await start(['--rate-slow', '1', '--slow-ms', '300'])
    const before = Date.now()
    expect((await fetch(slow.url, { method: 'POST', headers: auth, body: '{}' })).status).toBe(200)
    expect(Date.now() - before).toBeGreaterThanOrEqual(290)
    await slow.stop()
  })

  it('with --no-endpoint, is a plain sink: no event mappings, every event stored', async () => {
    const sink = await startReceive([
      '--username',
      'u',
      '--access-secret',
      'sink-secret',
      '--no-record',
      '--no-endpoint'
    ])
    const authorization = basic('u', 'sink-secret')
    const response = await fetch(sink.url, { method: 'POST', headers: { authorization }, body: '{"type":"group"}' })
    expect(response.status).toBe(200)
    const output = await sink.stop()
    expect(output).toContain('no event mappings (--no-endpoint): every event is stored')
    expect(output).toMatch(/-> 200 1 event \(/)
  })

  it('exits 2 with every mistake of a broken endpoint file', async () => {
    const dir = tempDir()
    const endpoint = join(dir, 'endpoint.json')
    writeFileSync(endpoint, JSON.stringify({ endpointKey: 'k', mappings: [{ name: 'A', schema: 'Custom' }] }))
    const result = await runCli([
      'receive',
      '--username',
      'u',
      '--access-secret',
      'endpoint-secret',
      '--endpoint',
      endpoint
    ])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`Endpoint file ${endpoint} has`)
    expect(result.stderr).toContain('mappings[0].match (mapping "A")')
    expect(result.stderr).toContain('mappings[0].fields (mapping "A")')
  })

  it('exits 2 naming the record file when it cannot be written, before listening', async () => {
    const dir = tempDir()
    const file = join(dir, 'a-file')
    writeFileSync(file, 'not a folder')
    const record = join(file, 'received.jsonl')
    const result = await runCli(['receive', '--username', 'u', '--access-secret', 'record-secret', '--record', record])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`The stand-in's record (--record) ${record} cannot be written: ${file} is a file`)
    expect(result.stdout).toBe('')
  })

  it('exits 2 without credentials to check', async () => {
    const result = await runCli(['receive', '--port', '0'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--username and --access-secret')
  })
})
