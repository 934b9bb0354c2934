import { execFileSync, spawn } from 'child_process'
import { rmSync, writeFileSync } from 'fs'
import { join } from 'path'
import { cleanEnv, CLI, ensureBuilt, event, runCli, runMain, tempDir } from './helpers'

/**
 * Inputs a careless or hostile user gives (issue "round 2"): devices, FIFOs, UTF-16, binary, escape sequences,
 * a line without end, an output closed early, a stop while a command waits for input. Every command answers
 * with a message naming the input, never hangs, never writes a control character from the input. What could
 * hang or fill memory if it regressed (a device, a FIFO, a line without end) runs in a process of its own.
 */

beforeAll(() => ensureBuilt(), 180_000)

const dir = tempDir()
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

describe('inputs that are not files of events are refused up front', () => {
  it('a device (test --coverage /dev/zero) and a FIFO with no writer (preview): exit 2, at once', async () => {
    const zero = await runCli(['test', '--coverage', '/dev/zero'])
    expect(zero.code).toBe(2)
    expect(zero.stderr).toMatch(/\/dev\/zero is a device, not a file of events/)
    const fifo = join(dir, 'export.fifo')
    execFileSync('mkfifo', [fifo])
    const piped = await runCli(['preview', fifo])
    expect(piped.code).toBe(2)
    expect(piped.stderr).toMatch(/export\.fifo is a named pipe \(FIFO\)/)
  }, 60_000)

  it('UTF-16 and binary are named, never read as U+FFFD events', async () => {
    const utf16 = file('export.jsonl', Buffer.from(JSON.stringify(event()) + '\n', 'utf16le'))
    const run = await runMain(['send', utf16, '--no-journal'], { cwd: dir })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/export\.jsonl is not JSON text in UTF-8: it is UTF-16 \(little-endian\)/)
    const stdin = await runCli(['test', '--coverage', '-'], { input: '\u0000\u0001binary' })
    expect(stdin.code).toBe(2)
    expect(stdin.stderr).toMatch(/stdin is not JSON text \(a NUL byte at byte 0\)/)
  }, 60_000)
})

describe('what reaches the terminal', () => {
  it('a malformed line with escape sequences is quoted escaped by preview, send and test --coverage', async () => {
    const hostile = file('hostile.jsonl', `${JSON.stringify(event())}\n\u001b[2J\u001b]0;pwned\u0007 not json\n`)
    const runs = await Promise.all([
      runMain(['preview', hostile]),
      runMain(['send', hostile, '--no-journal'], { cwd: dir }),
      runMain(['test', '--coverage', hostile, '--workers', '0'])
    ])
    for (const run of runs) {
      expect(run.stdout + run.stderr).toContain('\\u001b[2J\\u001b]0;pw')
      expect([...(run.stdout + run.stderr)].filter((c) => c === '\u001b' || c === '\u0007')).toEqual([])
    }
  }, 90_000)

  it('preview | head -1 ends quietly with 141, no EPIPE stack', async () => {
    // More output than a pipe holds (64 KB), so the command is still writing when the reader goes.
    const many = file('many.jsonl', Array.from({ length: 300 }, () => JSON.stringify(event()) + '\n').join(''))
    const child = spawn(process.execPath, [CLI, 'preview', many], { env: cleanEnv(), stdio: 'pipe' })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.stdout.once('data', () => child.stdout.destroy())
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
    expect(stderr).toBe('')
    expect(code).toBe(141)
  }, 60_000)

  it('a coverage sample that picks no event says so and exits 2', async () => {
    const events = file('ten.jsonl', Array.from({ length: 10 }, () => JSON.stringify(event()) + '\n').join(''))
    const run = await runMain(['test', '--coverage', events, '--sample', '0.0001', '--workers', '0'])
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/--sample 0\.0001 \(seed 1\) picked none of the 10 events read: nothing to report/)
  }, 60_000)
})

describe('a line without end, and a stop while reading', () => {
  it('test --coverage of a line over 16 MB counts it as one malformed line and reads on', async () => {
    const big = file(
      'big.jsonl',
      [event(), { type: 'track', blob: 'x'.repeat(17 * 1024 * 1024) }, event()]
        .map((e) => JSON.stringify(e))
        .join('\n') + '\n'
    )
    const run = await runCli(['test', '--coverage', big, '--json', '--workers', '0'])
    rmSync(big)
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout)
    expect(report).toMatchObject({ read: 3, malformed: { count: 1, first: { line: 2 } } })
    expect(report.malformed.message).toMatch(/a line longer than 16 MB/)
  }, 90_000)

  it('test --coverage of endless input without a newline stops on the first SIGTERM, with its report', async () => {
    const child = spawn(process.execPath, [CLI, 'test', '--coverage', '-', '--workers', '0'], {
      env: cleanEnv(),
      stdio: 'pipe'
    })
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stdin.on('error', () => undefined)
    const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
    // Fed until the pipe is full and then drained: the command is reading, so its signal handlers are on.
    const chunk = 'y'.repeat(1 << 20)
    await new Promise<void>((resolve) => {
      const feed = () => {
        while (child.stdin.write(chunk));
        child.stdin.once('drain', () => resolve())
      }
      feed()
    })
    child.kill('SIGTERM')
    const code = await exited
    expect(code).toBe(1)
    expect(stdout).toMatch(/Interrupted: only the events read until then/)
  }, 60_000)

  it('send from a silent stdin stops on the first SIGINT instead of waiting for input for ever', async () => {
    const child = spawn(process.execPath, [CLI, 'send', '-', '--no-journal'], {
      cwd: dir,
      env: cleanEnv(),
      stdio: 'pipe'
    })
    let stdout = ''
    const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
    await new Promise<void>((resolve) =>
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk
        if (/delivering to the embedded Movable Ink stand-in/.test(stdout)) resolve()
      })
    )
    child.kill('SIGINT')
    expect(await exited).toBe(1)
    expect(stdout).toMatch(/Interrupted: the last event read was none/)
  }, 60_000)
})
