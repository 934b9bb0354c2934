import { execFileSync } from 'child_process'
import { mkdirSync, rmSync, writeFileSync } from 'fs'
import { join, relative } from 'path'
import { gzipSync } from 'zlib'
import { textOfDroppedFile } from '../../src/events/droppedFile'
import { InputError, listInputs } from '../../src/events/inputFiles'
import type { InputItem, ReadOptions } from '../../src/events/items'
import { linesOf } from '../../src/events/lines'
import { printable } from '../../src/events/printable'
import { readEvents } from '../../src/events/readEvents'
import { skippedLines } from '../../src/events/skippedInputs'
import { AgeWindow } from '../../src/send/ageWindow'
import { tempDir } from '../cli/helpers'
import { DAY_MS, EVENTS_PER_FILE, writeSegmentLogs } from './segmentLogs'

/**
 * What the one reader of events (src/events) makes of what customers really hand over: Segment's S3 archive
 * (gzip, day folders), and the hostile or careless inputs (binary, UTF-16, a line without end, devices, FIFOs).
 */

const dir = tempDir()
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const lines = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ type: 'track', event: 'E', n: from + i }) + '\n').join('')

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

async function read(path: string, options: ReadOptions = {}): Promise<InputItem[]> {
  const items: InputItem[] = []
  for await (const item of readEvents(path, 'auto', undefined, options)) items.push(item)
  return items
}

const numbers = (items: InputItem[]) => items.map((i) => (i.kind === 'event' ? i.event.n : 'malformed'))

describe('gzip, told by its bytes', () => {
  it('reads a gzipped JSON Lines file whatever its name, and a multi-member one whole', async () => {
    expect(numbers(await read(file('export.txt', gzipSync(lines(3)))))).toEqual([1, 2, 3])
    const twoMembers = Buffer.concat([gzipSync(lines(2)), gzipSync(lines(2, 3))])
    expect(numbers(await read(file('cat.gz', twoMembers)))).toEqual([1, 2, 3, 4])
  })

  it('reads the events before a cut, then one malformed item naming the byte, never binary', async () => {
    const whole = gzipSync(lines(2000), { level: 1 })
    const cut = file('cut.gz', whole.subarray(0, Math.floor(whole.length / 2)))
    const items = await read(cut)
    const last = items[items.length - 1]
    expect(items.length).toBeGreaterThan(100)
    expect(numbers(items.slice(0, -1))).toEqual(Array.from({ length: items.length - 1 }, (_, i) => i + 1))
    expect(last).toMatchObject({ kind: 'malformed', source: cut, line: items.length, raw: '' })
    expect(last.kind === 'malformed' && last.reason).toMatch(
      new RegExp(`gzip data is cut short at byte ${Math.floor(whole.length / 2)}\\b`)
    )
  })

  it('reports corrupt gzip data with the byte where it broke', async () => {
    const whole = gzipSync(lines(50))
    const broken = Buffer.from(whole)
    broken.fill(0xff, 20, 40)
    const items = await read(file('corrupt.gz', broken))
    const last = items[items.length - 1]
    expect(last.kind === 'malformed' && last.reason).toMatch(/gzip data is corrupt at byte \d+/)
    expect(last.kind === 'malformed' && last.raw).toBe('')
  })

  it('refuses a gzip of something that is not text, naming the file', async () => {
    const path = file('picture.gz', gzipSync(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13])))
    await expect(read(path)).rejects.toThrow(/picture\.gz \(gzip\) holds no JSON text \(a NUL byte/)
  })
})

describe('what is not JSON text is refused before any event', () => {
  it('names binary and UTF-16 (with a byte order mark or without)', () => {
    const binary = file('x.jsonl', Buffer.from([0x7b, 0x00, 0x01, 0x02, 0xfe]))
    expect(() => listInputs([binary])).toThrow(/x\.jsonl is not JSON text \(a NUL byte at byte 1\)/)
    const bom = file('bom.jsonl', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines(2), 'utf16le')]))
    expect(() => listInputs([bom])).toThrow(/UTF-16 \(little-endian, with a byte order mark\)/)
    const noBom = file('nobom.jsonl', Buffer.from(lines(2), 'utf16le'))
    expect(() => listInputs([noBom])).toThrow(/UTF-16 \(little-endian\)/)
    const latin1 = file('latin1.jsonl', Buffer.from('{"name":"caf\xe9"}\n', 'latin1'))
    expect(() => listInputs([latin1])).toThrow(/not JSON text \(bytes that are not UTF-8 text\)/)
  })

  it('the reader refuses them too, when given one directly (stdin takes this way)', async () => {
    const path = file('u16.jsonl', Buffer.from(lines(2), 'utf16le'))
    await expect(read(path)).rejects.toBeInstanceOf(InputError)
  })

  it('refuses a device and a FIFO by their kind, without opening them', () => {
    expect(() => listInputs(['/dev/zero'])).toThrow(/\/dev\/zero is a device, not a file of events/)
    const fifo = join(dir, 'events.fifo')
    execFileSync('mkfifo', [fifo])
    // Opening a FIFO with no writer would block this test for ever: the check comes first.
    expect(() => listInputs([fifo])).toThrow(/is a named pipe \(FIFO\), which would wait for a writer/)
  })
})

describe('lines are bounded', () => {
  it('reports a line over the limit once, with its number, and reads on', async () => {
    const path = file('long.jsonl', lines(1) + JSON.stringify({ n: 'x'.repeat(500) }) + '\n' + lines(1, 3))
    const items = await read(path, { maxLineChars: 100 })
    expect(numbers(items)).toEqual([1, 'malformed', 3])
    expect(items[1]).toMatchObject({ line: 2, raw: '' })
    expect(items[1].kind === 'malformed' && items[1].reason).toMatch(/a line longer than 100 characters/)
  })

  it('reports an array element over the limit and reads the next', async () => {
    const path = file('array.json', `[{"n":1},\n{"n":"${'y'.repeat(300)}"},\n{"n":3}]`)
    const items = await read(path, { maxLineChars: 100 })
    expect(numbers(items)).toEqual([1, 'malformed', 3])
    expect(items[1]).toMatchObject({ line: 2 })
  })

  it('reports input with no newline as soon as it passes the limit, without waiting for an end', async () => {
    async function* endless(): AsyncGenerator<string> {
      for (;;) yield 'z'.repeat(64)
    }
    const first = await linesOf(endless(), 1000).next()
    expect(first.value).toEqual({ line: 1, text: '', tooLong: true })
  })

  it('stops reading quietly when the signal aborts', async () => {
    const controller = new AbortController()
    const path = file('many.jsonl', lines(5000))
    const seen: InputItem[] = []
    for await (const item of readEvents(path, 'auto', undefined, { signal: controller.signal })) {
      seen.push(item)
      if (seen.length === 10) controller.abort()
    }
    expect(seen.length).toBeLessThan(5000)
  })
})

describe("Segment's S3 archive as a folder", () => {
  const root = join(dir, 'archive')
  mkdirSync(root)
  const now = Date.UTC(2026, 5, 15, 12)
  const logs = writeSegmentLogs(root, now)
  const names = (files: string[]) => files.map((f) => relative(logs.source, f))

  it('walks day folders in day order, then file names, and skips what is not events, with the reasons', () => {
    const { files, skipped } = listInputs([join(root, 'segment-logs')])
    expect(names(files)).toEqual(
      logs.days.flatMap((day) => [`${day}/${day}-hour03-part.gz`, `${day}/${day}-hour14-part.gz`])
    )
    expect(skipped.map((s) => [relative(logs.source, s.path), s.why])).toEqual([
      [`${logs.days[3]}/sample.expected.json`, 'an expected file of a test suite'],
      ['manifest.txt', 'text that is not JSON events']
    ])
    expect(skippedLines(skipped)).toEqual([
      expect.stringMatching(/^Skipped 1 expected file in the folders given \(.*sample\.expected\.json\): a suite's/),
      expect.stringMatching(/^Skipped 1 file of the folders given, not events: 1 text that is not JSON events \(/)
    ])
  })

  it("skips day folders older than send's window without entering them, and counts their files", () => {
    const window = new AgeWindow(30, now)
    const oldDay = join(logs.source, logs.days[0])
    // Entering the old day would list this as a skipped file that is not a regular one.
    execFileSync('mkfifo', [join(oldDay, 'copying.gz')])
    const { files, skipped } = listInputs([logs.source], { skipFolder: (name) => window.dayFolderTooOld(name) })
    rmSync(join(oldDay, 'copying.gz'))
    expect(names(files)).toEqual(
      logs.days.slice(1).flatMap((day) => [`${day}/${day}-hour03-part.gz`, `${day}/${day}-hour14-part.gz`])
    )
    expect(skipped.filter((s) => s.path.startsWith(oldDay + '/'))).toEqual([])
    expect(skipped.find((s) => s.kind === 'outside the window')).toMatchObject({ path: oldDay, files: 3 })
    expect(skippedLines(skipped)[2]).toMatch(/^Skipped 1 day folder \(3 files, not opened\): Segment received/)
  })

  it('a day folder is too old only when the whole day is: the window edge day is read', () => {
    const window = new AgeWindow(30, now)
    const today = Math.floor(now / DAY_MS) * DAY_MS
    expect(window.dayFolderTooOld(String(today - 30 * DAY_MS))).toBeUndefined()
    expect(window.dayFolderTooOld(String(today - 32 * DAY_MS))).toMatch(/more than 30 days ago/)
    expect(window.dayFolderTooOld('holiday')).toBeUndefined()
    expect(new AgeWindow(0, now).dayFolderTooOld(String(today - 400 * DAY_MS))).toBeUndefined()
  })

  it('reads every file of the tree: the multi-member one whole, the cut one up to its cut', async () => {
    expect(numbers(await read(logs.multiMemberFile))).toHaveLength(EVENTS_PER_FILE)
    const cut = await read(logs.truncatedFile)
    expect(cut.filter((i) => i.kind === 'malformed')).toHaveLength(1)
    expect(cut[cut.length - 1].kind).toBe('malformed')
  })
})

describe('text from inputs, on a terminal', () => {
  it('escapes control characters, C1 and bidirectional overrides as JSON escapes them', () => {
    expect(printable('a\u001b]0;t\u0007b\u009bc\u202ed\te')).toBe('a\\u001b]0;t\\u0007b\\u009bc\\u202ed\te')
  })

  it('a malformed line quoting an escape sequence gives a reason without it', async () => {
    const items = await read(file('esc.jsonl', '\u001b[2J\u001b]0;pwned\u0007\n'))
    const reason = items[0].kind === 'malformed' ? items[0].reason : ''
    expect([...reason].filter((c) => c.charCodeAt(0) < 0x20)).toEqual([])
    expect(reason).toContain('\\u001b')
  })
})

describe('a file dropped on the studio', () => {
  it('is decompressed when it is gzip and named when it is not text', () => {
    expect(textOfDroppedFile(gzipSync(lines(1)), 'd.gz', 1000)).toBe(lines(1))
    expect(() => textOfDroppedFile(Buffer.from(lines(1), 'utf16le'), 'd.json', 1000)).toThrow(/d\.json .*UTF-16/)
    expect(() => textOfDroppedFile(gzipSync(lines(100)), 'big.gz', 1000)).toThrow(/decompresses to more than 1000/)
    const whole = gzipSync(lines(100))
    expect(() => textOfDroppedFile(whole.subarray(0, 60), 'cut.gz', 1e6)).toThrow(/cut\.gz: the gzip data is cut short/)
  })
})
