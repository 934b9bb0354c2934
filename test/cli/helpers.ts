import { execFileSync, spawn } from 'child_process'
import { createHash } from 'crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs'
import { tmpdir } from 'os'
import { join, resolve } from 'path'
import { Writable } from 'stream'

import { main } from '../../src/cli/main'
import { startStandIn } from '../../src/standIn/standIn'
import type { StandIn, StandInOptions } from '../../src/standIn/standIn'
import { tempDir as newTempDir } from '../tempDir'

export const ROOT = resolve(__dirname, '..', '..')
export const CLI = join(ROOT, 'dist', 'cli', 'main.js')

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs)
  }
  return newest
}

function isFresh(): boolean {
  try {
    return statSync(CLI).mtimeMs >= newestSource(join(ROOT, 'src'))
  } catch {
    return false
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/**
 * Whether the build lock was left behind: its holder is gone (killed mid-build, as when npm test stops jest at a
 * failed check), or it is older than any build takes.
 */
function lockIsStale(lock: string): boolean {
  try {
    process.kill(Number(readFileSync(join(lock, 'pid'), 'utf8')), 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true
    // no pid yet (just made), or the lock went away
  }
  try {
    return Date.now() - statSync(lock).mtimeMs > 120_000
  } catch {
    return false
  }
}

/**
 * The end-to-end tests run the compiled command, as users do. CI runs only `npm ci && npm test`, so the tests
 * build it themselves when dist/ is missing or older than src/; test files run in parallel, so one of them
 * builds while the others wait on a lock directory.
 */
export function ensureBuilt(): void {
  if (isFresh()) return
  const lock = join(
    tmpdir(),
    `movable-ink-cli-build-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}.lock`
  )
  const deadline = Date.now() + 180_000
  for (;;) {
    try {
      mkdirSync(lock)
      writeFileSync(join(lock, 'pid'), String(process.pid))
      break
    } catch {
      if (isFresh()) return
      if (lockIsStale(lock)) rmSync(lock, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the build lock ${lock}`)
      sleepSync(200)
    }
  }
  try {
    if (!isFresh()) {
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.js')], { cwd: ROOT, stdio: 'pipe' })
    }
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** The environment without any Movable Ink settings of the machine running the tests. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.MOVABLE_INK_URL
  delete env.MOVABLE_INK_USERNAME
  delete env.MOVABLE_INK_ACCESS_SECRET
  return { ...env, ...extra }
}

/** Runs the compiled command to completion. */
export function runCli(
  args: string[],
  options: { input?: string; env?: Record<string, string>; cwd?: string } = {}
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env: cleanEnv(options.env),
      stdio: 'pipe'
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }))
    child.stdin.end(options.input ?? '')
  })
}

/** A stream that keeps what is written to it. */
function capture(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk)
      done()
    }
  })
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

let mainRuns: Promise<unknown> = Promise.resolve()

/**
 * Runs the command line's `main` in this process, from the sources, its output captured and its environment
 * `cleanEnv(options.env)`, in the folder `options.cwd` (the process's working folder, changed for the run and
 * back, so runs given at once take turns). It is the same code as the compiled command's, without a process to
 * start for each run (Node and actions-core to load, about 0.4 s of CPU): for what a command does with its
 * flags, files and the network. What only a process shows (its exit status, stdin, signals, what it loads) is
 * runCli's.
 */
export function runMain(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {}
): Promise<RunResult> {
  const run = mainRuns.then(async () => {
    const [out, err] = [capture(), capture()]
    const before = process.cwd()
    process.chdir(options.cwd ?? ROOT)
    try {
      const io = { out: out.stream, err: err.stream, env: cleanEnv(options.env) }
      const code = await main([process.execPath, CLI, ...args], io)
      return { code, stdout: out.text(), stderr: err.text() }
    } finally {
      process.chdir(before)
    }
  })
  mainRuns = run.catch(() => undefined)
  return run
}

/** A running `movable-ink receive` process and the address it printed first. */
export interface ReceiveProcess {
  url: string
  port: number
  output: () => string
  stop: () => Promise<string>
}

export function startReceive(args: string[]): Promise<ReceiveProcess> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, 'receive', ...args], { cwd: ROOT, env: cleanEnv(), stdio: 'pipe' })
    let stdout = ''
    let stderr = ''
    let started = false
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      const match = /^listening on http:\/\/127\.0\.0\.1:(\d+)\npost events to (\S+) /.exec(stdout)
      if (!started && match) {
        started = true
        const port = Number(match[1])
        resolvePromise({
          url: match[2],
          port,
          output: () => stdout,
          stop: () =>
            new Promise((done) => {
              child.on('close', () => done(stdout + stderr))
              child.kill('SIGTERM')
            })
        })
      }
    })
    child.on('close', (code) => {
      if (!started) reject(new Error(`receive exited with ${code} before listening: ${stdout}${stderr}`))
    })
  })
}

/** A temporary folder for a command's files, removed after the test file's last test. */
export function tempDir(): string {
  return newTempDir('movable-ink-cli-test-')
}

export function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'track',
    event: 'Signed Up',
    userId: 'user-1',
    messageId: `m-${Math.random().toString(36).slice(2)}`,
    timestamp: new Date().toISOString(),
    properties: { plan: 'pro' },
    ...overrides
  }
}

/** The events of a request body the stand-in recorded: a batch's `{"events": [...]}`, or one event. */
export function eventsOfBody(body: unknown): { messageId: string }[] {
  const events = (body as { events?: unknown })?.events
  return (Array.isArray(events) ? events : [body]) as { messageId: string }[]
}

/** Events as JSON Lines. */
/** Runs `run` against a stand-in started with `options`, which is closed afterwards whatever happens. */
export async function withStandIn<T>(options: StandInOptions, run: (standIn: StandIn) => Promise<T>): Promise<T> {
  const standIn = await startStandIn(options)
  try {
    return await run(standIn)
  } finally {
    await standIn.close()
  }
}

/** The JSON values of a JSON Lines file, one per non-empty line; none when the file does not exist. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readJsonLines(file: string): any[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown)
}

export function jsonl(events: unknown[]): string {
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n'
}

/** A new temporary directory, numbered paths in it, and a writer of JSON Lines input files there. */
export function scratch(): {
  dir: string
  path: (name: string) => string
  writeJsonl: (name: string, events: unknown[]) => string
} {
  const dir = tempDir()
  let n = 0
  const path = (name: string) => join(dir, `${n++}-${name}`)
  const writeJsonl = (name: string, events: unknown[]) => {
    const file = path(name)
    writeFileSync(file, jsonl(events))
    return file
  }
  return { dir, path, writeJsonl }
}
