import { spawn } from 'child_process'
import type { ChildProcess } from 'child_process'
import { get } from 'http'
import { join } from 'path'
import { CLI, ensureBuilt } from '../cli/helpers'
import { ROOT } from './helpers'

/** `movable-ink studio` as users start it: the compiled command, its static files found from dist/. */

function getText(url: string): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    get(url, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
    }).on('error', fail)
  })
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((done, fail) => {
    let out = ''
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString()
      if (out.includes('\n')) done(out.split('\n')[0])
    })
    child.on('exit', (code) => fail(new Error(`studio exited (${code}) before printing its URL: ${out}`)))
  })
}

let child: ChildProcess | undefined
beforeAll(() => ensureBuilt(), 120_000)
afterEach(() => child?.kill('SIGINT'))

it('loads a folder of events, prints a URL with a token, and serves the page and API from dist/', async () => {
  const env = { ...process.env, MOVABLE_INK_URL: '', MOVABLE_INK_USERNAME: '', MOVABLE_INK_ACCESS_SECRET: '' }
  child = spawn(process.execPath, [CLI, 'studio', join(ROOT, 'examples', 'events')], { env })
  const line = await firstLine(child)
  const url = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(line)?.[1]
  expect(url).toBeDefined()
  const page = await getText(url as string)
  expect(page.status).toBe(200)
  expect(page.text).toContain('movable-ink studio')
  const base = (url as string).replace('/?token=', '/api/state?token=')
  const state = JSON.parse((await getText(base)).text)
  expect(state.events.map((e: { event: string }) => e.event)).toHaveLength(9)
  expect((await getText((url as string).replace(/token=.*/, 'token=wrong'))).status).toBe(401)
}, 60_000)

it('says which input is missing, with exit code 2', async () => {
  child = spawn(process.execPath, [CLI, 'studio', 'no-such-file.json'])
  let err = ''
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()))
  const code = await new Promise((done) => child?.on('exit', done))
  expect(code).toBe(2)
  expect(err).toContain('Input file no-such-file.json does not exist')
})
