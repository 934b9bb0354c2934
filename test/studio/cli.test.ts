import { spawn } from 'child_process'
import type { ChildProcess } from 'child_process'
import { cpSync, realpathSync, writeFileSync } from 'fs'
import { get } from 'http'
import { join } from 'path'
import { CLI, ensureBuilt } from '../cli/helpers'
import { EXAMPLE_SUITE_EVENTS, ROOT } from './helpers'
import { tempDir } from '../tempDir'

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

function firstLines(child: ChildProcess, count: number): Promise<string[]> {
  return new Promise((done, fail) => {
    let out = ''
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString()
      if (out.split('\n').length > count) done(out.split('\n').slice(0, count))
    })
    child.on('exit', (code) => fail(new Error(`studio exited (${code}) before printing its URL: ${out}`)))
  })
}

const firstLine = async (child: ChildProcess) => (await firstLines(child, 1))[0]

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
  expect(state.events.map((e: { event: string }) => e.event)).toHaveLength(13)
  expect((await getText((url as string).replace(/token=.*/, 'token=wrong'))).status).toBe(401)
}, 60_000)

it("loads a suite folder's samples, not its expected files, and says where saving as expected writes", async () => {
  const suite = join(tempDir('studio-cli-'), 'suite')
  cpSync(join(ROOT, 'examples', 'suite'), suite, { recursive: true })
  child = spawn(process.execPath, [CLI, 'studio', suite], { cwd: join(suite, '..') })
  const lines = await firstLines(child, 4)
  expect(lines[3]).toBe(
    `4 of the 4 sample files have an expected file beside them (movable-ink test's suite format); "Save as expected" writes beside the sample files (never into the bundled examples), and pasted events go to ${join(
      realpathSync(join(suite, '..')),
      'movable-ink-suite',
      'pasted.jsonl'
    )} unless you name another file on the page.`
  )
  const url = /open (\S+)/.exec(lines[0])?.[1] as string
  const state = JSON.parse((await getText(url.replace('/?token=', '/api/state?token='))).text)
  expect(state.events.map((e: { where: string }) => e.where)).toEqual(EXAMPLE_SUITE_EVENTS)
}, 60_000)

it('refuses an expected file that is not the format, as movable-ink test does, with exit code 2', async () => {
  const suite = join(tempDir('studio-cli-'), 'suite')
  cpSync(join(ROOT, 'examples', 'suite'), suite, { recursive: true })
  writeFileSync(join(suite, 'group.expected.json'), '{"events": [{"segment": "delivered"}]}')
  child = spawn(process.execPath, [CLI, 'studio', join(suite, 'group.expected.json')])
  let err = ''
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()))
  const code = await new Promise((done) => child?.on('exit', done))
  expect(code).toBe(2)
  expect(err).toContain(`${join(suite, 'group.expected.json')}: events[0].segment: must be "sent", "not subscribed"`)
})

it('says which input is missing, with exit code 2', async () => {
  child = spawn(process.execPath, [CLI, 'studio', 'no-such-file.json'])
  let err = ''
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()))
  const code = await new Promise((done) => child?.on('exit', done))
  expect(code).toBe(2)
  expect(err).toContain('Input file no-such-file.json does not exist')
})

it('starts from ./movable-ink-endpoint.json once there is one, and says which file it read and which it writes', async () => {
  const dir = realpathSync(tempDir('studio-cli-'))
  const saveFile = join(dir, 'movable-ink-endpoint.json')
  const env = { ...process.env, MOVABLE_INK_URL: '', MOVABLE_INK_USERNAME: '', MOVABLE_INK_ACCESS_SECRET: '' }
  child = spawn(process.execPath, [CLI, 'studio'], { cwd: dir, env })
  const fresh = await firstLines(child, 3)
  expect(fresh[2]).toBe(
    `Event mappings read from the bundled defaults (${join(
      ROOT,
      'examples',
      'movable-ink-endpoint.json'
    )}); "Save" writes them to ${saveFile} unless you name another file on the page.`
  )
  child.kill('SIGINT')
  const mine = { mappings: [] }
  writeFileSync(saveFile, JSON.stringify(mine))
  child = spawn(process.execPath, [CLI, 'studio'], { cwd: dir, env })
  const lines = await firstLines(child, 3)
  expect(lines[2]).toBe(
    `Event mappings read from ${saveFile}; "Save" writes them to ${saveFile} unless you name another file on the page.`
  )
  const url = /open (\S+)/.exec(lines[0])?.[1] as string
  expect(JSON.parse((await getText(url.replace('/?token=', '/api/state?token='))).text).endpoint).toEqual(mine)
}, 60_000)
