import { spawn } from 'child_process'
import type { ChildProcess } from 'child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import { ensureBuilt, ROOT } from '../cli/helpers'
import { consumerEnv, installConsumer, installedVersions, pack } from './consumer'

/**
 * The package as its users get it (issue 24): packed, installed into a new project in a temporary folder with
 * no way to this checkout's node_modules, and run from an empty folder with the commands docs/test.md's CI
 * workflow and the README's "For Solutions Architects" run. One pack and one install for the whole file.
 */

const USERNAME = 'AKID-installed'
const SECRET = 'installed-secret-4c3b2a19'

const scratch = mkdtempSync(join(tmpdir(), 'movable-ink-package-'))
const work = join(scratch, 'work') // the empty folder the commands run in
let packed: { tarball: string; files: string[]; size: number }
let bin = ''

beforeAll(() => {
  ensureBuilt()
  packed = pack(scratch)
  bin = installConsumer(join(scratch, 'consumer'), packed.tarball)
  mkdirSync(work)
}, 240_000)

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function start(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn('movable-ink', args, { cwd: work, env: { ...consumerEnv(bin), ...env }, stdio: 'pipe' })
}

function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = start(args, env)
    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c))
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c))
    child.on('error', fail)
    child.on('close', (code) => done({ code, stdout, stderr }))
  })
}

/** Starts a long-running command and waits for the first `lines` lines it prints. */
function startAndRead(
  args: string[],
  lines: number
): Promise<{ child: ChildProcess; head: string[]; all: () => string }> {
  return new Promise((done, fail) => {
    const child = start(args)
    let out = ''
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (out += c))
    child.stdout?.setEncoding('utf8').on('data', (c: string) => {
      out += c
      if (out.split('\n').length > lines) done({ child, head: out.split('\n').slice(0, lines), all: () => out })
    })
    child.on('exit', (code) => fail(new Error(`movable-ink ${args[0]} exited (${code}) early: ${out}`)))
  })
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => {
    child.on('exit', (code) => done(code))
    child.kill('SIGTERM')
  })
}

function copySuite(name: string): string {
  const suite = join(work, name)
  cpSync(join(ROOT, 'examples', 'suite'), suite, { recursive: true })
  return suite
}

it('packs what runs and what users read: no sources, tests or benchmark, under 1 MB', () => {
  expect(packed.files).toContain('dist/cli/main.js')
  expect(packed.files).toContain('dist/studio/static/index.html')
  // The page's tsconfig.json type-checks it in npm test; it is no part of the page.
  expect(packed.files.filter((f) => f.startsWith('dist/studio/static/') && f.endsWith('.json'))).toEqual([])
  expect(packed.files).toContain('examples/movable-ink-endpoint.json')
  expect(packed.files).toContain('npm-shrinkwrap.json')
  expect(packed.files.filter((f) => /^(src|test|bench|scripts|\.ci)\//.test(f) || f.endsWith('.map'))).toEqual([])
  expect(packed.size).toBeLessThan(1_000_000)
})

it('installs the dependency tree this project tested: fast-uri 3.1.5 only, and liquidjs', () => {
  const consumer = join(scratch, 'consumer')
  expect(installedVersions(consumer, 'fast-uri')).toEqual(['3.1.5'])
  expect(installedVersions(consumer, 'liquidjs')).toEqual(['10.30.1'])
  expect(installedVersions(consumer, 'typescript')).toEqual([])
})

it('movable-ink --version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
  const result = await run(['--version'])
  expect(result).toMatchObject({ code: 0, stdout: `${version}\n` })
})

it("movable-ink test passes the example suite and writes JUnit XML, as docs/test.md's CI workflow runs it", async () => {
  // docs/test.md's CI step, word for word, on the example suite and endpoint file
  copySuite(join('movable-ink', 'samples'))
  cpSync(join(ROOT, 'examples', 'movable-ink-endpoint.json'), join(work, 'movable-ink', 'endpoint.json'))
  const result = await run([
    'test',
    'movable-ink/samples',
    '--endpoint',
    'movable-ink/endpoint.json',
    '--reporter',
    'junit',
    'movable-ink-test.xml'
  ])
  expect(result.stderr).toBe('')
  expect(result.stdout).toContain('6 passed, 0 failed')
  expect(result.code).toBe(0)
  const xml = readFileSync(join(work, 'movable-ink-test.xml'), 'utf8')
  expect(xml).toContain('<testsuites')
  expect(xml).toContain('tests="6" failures="0"')
})

it('movable-ink test fails a changed sample with exit 1 and shows the difference', async () => {
  const suite = copySuite('changed')
  const identify = JSON.parse(readFileSync(join(suite, 'identify.json'), 'utf8')) as { userId: string }
  writeFileSync(join(suite, 'identify.json'), JSON.stringify({ ...identify, userId: 'user-9999' }))
  const result = await run(['test', 'changed'])
  expect(result.code).toBe(1)
  expect(result.stdout).toContain('5 passed, 1 failed')
  expect(result.stdout).toContain('user-1234')
  expect(result.stdout).toContain('user-9999')
})

it('movable-ink preview shows both sides of a sample', async () => {
  copySuite('preview')
  const result = await run(['preview', join('preview', 'identify.json')])
  expect(result.code).toBe(0)
  expect(result.stdout).toContain('"userId": "user-1234"')
  expect(result.stdout).toContain('Identify')
})

it('movable-ink receive takes one event from movable-ink send and stops on SIGTERM', async () => {
  const receive = await startAndRead(
    ['receive', '--port', '0', '--username', USERNAME, '--access-secret', SECRET, '--record', 'received.jsonl'],
    2
  )
  try {
    const url = /post events to (\S+) /.exec(receive.head[1])?.[1] as string
    const event = {
      type: 'identify',
      userId: 'user-1',
      anonymousId: 'anon-1',
      messageId: 'installed-1',
      timestamp: new Date().toISOString()
    }
    writeFileSync(join(work, 'event.json'), JSON.stringify(event))
    const env = { MOVABLE_INK_ACCESS_SECRET: SECRET }
    const sent = await run(['send', 'event.json', '--url', url, '--username', USERNAME, '--no-journal'], env)
    expect(sent.stdout).toContain('Sent 1 of 1 event')
    expect(sent.code).toBe(0)
  } finally {
    expect(await stop(receive.child)).toBe(0)
  }
  const record = readFileSync(join(work, 'received.jsonl'), 'utf8').trim().split('\n')
  expect(record).toHaveLength(1)
  expect(record[0]).toContain('"messageId":"installed-1"')
}, 60_000)

it('movable-ink studio serves its page and API', async () => {
  copySuite('samples')
  const studio = await startAndRead(['studio', 'samples'], 1)
  try {
    const url = /open (\S+)/.exec(studio.head[0])?.[1] as string
    const page = await fetch(url)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('movable-ink studio')
    const state = (await (await fetch(url.replace('/?token=', '/api/state?token='))).json()) as {
      events: unknown[]
    }
    expect(state.events).toHaveLength(6)
  } finally {
    expect(await stop(studio.child)).toBe(0)
  }
}, 60_000)
