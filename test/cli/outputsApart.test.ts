import { cpSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs'
import { join, relative } from 'path'
import { event, jsonl, ROOT, runMain, scratch, withStandIn } from './helpers'

/**
 * Outputs that destroy inputs, and writes through links (issue 26): every command refuses, before any work, a
 * file it would write that is one of its inputs (the same file however it is named) or inside an input folder,
 * with exit 2 and both paths named; an existing --failed file needs --append; no command writes through a link.
 */

const USERNAME = 'AKID-apart'
const SECRET = 'apart-secret-5d4c3b2a'
const env = { MOVABLE_INK_ACCESS_SECRET: SECRET }

const { dir, path, writeJsonl } = scratch()
const events = [event(), event(), event()]

function expectRefused(result: { code: number | null; stderr: string }, ...named: string[]): void {
  expect(result.code).toBe(2)
  for (const name of named) expect(result.stderr).toContain(name)
}

describe('send', () => {
  const send = (args: string[]) =>
    withStandIn({ username: USERNAME, password: SECRET, record: false }, (standIn) =>
      runMain(['send', ...args, '--url', standIn.url, '--username', USERNAME, '--no-journal'], { env, cwd: dir })
    )

  it('refuses --failed that is the input, by any name (relative, a hard link, a symbolic link), and keeps it', async () => {
    const input = writeJsonl('in.jsonl', events)
    const before = readFileSync(input, 'utf8')
    const hard = path('hard.jsonl')
    linkSync(input, hard)
    const soft = path('soft.jsonl')
    symlinkSync(input, soft)
    for (const failed of [input, relative(dir, input), hard]) {
      const result = await send([input, '--failed', failed])
      expectRefused(result, `The failed-events file (--failed) ${failed} is the input ${input}`)
    }
    // A link is refused as a link: no command writes through one.
    expectRefused(await send([input, '--failed', soft]), `${soft} cannot be written: it is a symbolic link`)
    expect(readFileSync(input, 'utf8')).toBe(before)
  })

  it('refuses --summary-json that is the input, and a failed-events file inside an input folder', async () => {
    const input = writeJsonl('summary-in.jsonl', events)
    expectRefused(
      await send([input, '--summary-json', input]),
      `The summary file (--summary-json) ${input} is the input ${input}`
    )
    const folder = path('folder')
    mkdirSync(folder)
    writeFileSync(join(folder, 'a.jsonl'), jsonl(events))
    const inside = join(folder, 'failed.jsonl')
    expectRefused(await send([folder, '--failed', inside]), `${inside} is inside the input folder ${folder}`)
    expect(existsSync(inside)).toBe(false)
  })

  it('refuses an existing --failed file unless --append, which keeps its lines and adds', async () => {
    const failed = path('failed.jsonl')
    writeFileSync(failed, '{"kept": true}\n')
    const bad = writeJsonl('bad.jsonl', [
      { type: 'track', event: 'No User', messageId: 'm-bad', timestamp: new Date().toISOString() }
    ])
    const refused = await send([bad, '--failed', failed])
    expectRefused(refused, `${failed} already exists`, '--append')
    expect(readFileSync(failed, 'utf8')).toBe('{"kept": true}\n')
    const appended = await send([bad, '--failed', failed, '--append'])
    expect(appended.code).toBe(1)
    const lines = readFileSync(failed, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toBe('{"kept": true}')
  })
})

describe('test', () => {
  const suiteCopy = (name: string) => {
    const suite = join(dir, name)
    cpSync(join(ROOT, 'examples', 'suite'), suite, { recursive: true })
    return suite
  }

  it('refuses --reporter junit that is a sample of the suite, and leaves the sample alone', async () => {
    const suite = suiteCopy('junit-suite')
    const sample = join(suite, 'identify.json')
    const before = readFileSync(sample, 'utf8')
    const result = await runMain(['test', suite, '--reporter', 'junit', sample])
    expectRefused(result, `The JUnit report (--reporter junit) ${sample} is inside the input folder ${suite}`)
    expect(readFileSync(sample, 'utf8')).toBe(before)
  })

  it('refuses --coverage --html that is the export', async () => {
    const input = writeJsonl('export.jsonl', events)
    const before = readFileSync(input, 'utf8')
    const result = await runMain(['test', '--coverage', input, '--html', input, '--workers', '0'])
    expectRefused(result, `The coverage page (--html) ${input} is the input ${input}`)
    expect(readFileSync(input, 'utf8')).toBe(before)
  })

  it('--update does not write through an expected file that is a link, dangling or not, and writes nothing', async () => {
    const suite = suiteCopy('linked-suite')
    const target = path('outside.json')
    const outside = readFileSync(join(suite, 'identify.expected.json'), 'utf8')
    writeFileSync(target, outside)
    const linked = join(suite, 'identify.expected.json')
    const dangling = join(suite, 'group.expected.json')
    for (const file of [linked, dangling]) rmSync(file)
    symlinkSync(target, linked)
    symlinkSync(path('nowhere.json'), dangling)
    const checkout = readFileSync(join(suite, 'checkout.expected.json'), 'utf8')
    writeFileSync(
      join(suite, 'checkout.jsonl'),
      readFileSync(join(suite, 'checkout.jsonl'), 'utf8').replace('"user-', '"usr-')
    )
    const result = await runMain(['test', suite, '--update'])
    expectRefused(result, `${linked} is a symbolic link`, `${dangling} is a symbolic link`)
    expect(readFileSync(target, 'utf8')).toBe(outside)
    expect(existsSync(path('nowhere.json'))).toBe(false)
    expect(readFileSync(join(suite, 'checkout.expected.json'), 'utf8')).toBe(checkout)
  })
})

it('receive refuses a --record that is its --endpoint file', async () => {
  const endpoint = path('endpoint.json')
  cpSync(join(ROOT, 'examples', 'movable-ink-endpoint.json'), endpoint)
  const before = readFileSync(endpoint, 'utf8')
  const args = ['receive', '--username', USERNAME, '--access-secret', SECRET, '--endpoint', endpoint]
  const result = await runMain([...args, '--record', endpoint])
  expectRefused(result, `The record (--record) ${endpoint} is the input ${endpoint}`)
  expect(readFileSync(endpoint, 'utf8')).toBe(before)
})
