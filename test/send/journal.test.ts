import { readFileSync, writeFileSync } from 'fs'
import { join } from 'path'
import { JournalWriter, outcomeLine } from '../../src/send/journal'
import type { JournalHeader } from '../../src/send/journal'
import { DoneSet, readJournal } from '../../src/send/journalReader'
import { tempDir } from '../cli/helpers'

const dir = tempDir()
let n = 0
const header: JournalHeader = {
  journal: 'movable-ink send journal',
  version: 1,
  createdAt: '2026-11-22T00:00:00.000Z',
  inputs: [{ name: 'a.jsonl', size: 10, head: 'abc' }],
  failedFile: 'failed.jsonl'
}
const at = (item: number) => ({ input: 0, item, source: 'a.jsonl', line: item + 1 })

describe('the journal file', () => {
  it('reads back what the writer wrote, by place and messageId', async () => {
    const path = join(dir, `${n++}.jsonl`)
    const writer = JournalWriter.create(path, header)
    await Promise.all([
      writer.record(at(0), 'm0', 'delivered'),
      writer.record(at(5000), 'm5000', 'too old'),
      writer.record(at(2), undefined, 'failed')
    ])
    await writer.close()
    const state = await readJournal(path)
    expect(state.header).toEqual(header)
    expect(state.done.size).toBe(3)
    expect(state.byOutcome).toEqual({ delivered: 1, failed: 1, 'not subscribed': 0, 'too old': 1 })
    expect(state.done.check(0, 0, 'm0')).toBe('done')
    expect(state.done.check(0, 5000, 'm5000')).toBe('done')
    expect(state.done.check(0, 5000, 'other')).toBe('changed')
    expect(state.done.check(0, 2, undefined)).toBe('done')
    expect(state.done.check(0, 1, 'm1')).toBe('new')
    expect(state.done.check(1, 0, 'm0')).toBe('new')
  })

  it('refuses a line that does not read anywhere but last, and a file without a header', async () => {
    const path = join(dir, `${n++}.jsonl`)
    const good = outcomeLine(at(0), 'm0', 'delivered')
    writeFileSync(path, JSON.stringify(header) + '\n{"input":0,"item":1,"li\n' + good)
    await expect(readJournal(path)).rejects.toThrow(`${path} cannot be resumed: line 2 is not JSON`)
    writeFileSync(path, good)
    await expect(readJournal(path)).rejects.toThrow('no journal header on line 1')
    writeFileSync(path, '')
    await expect(readJournal(path)).rejects.toThrow('it is empty')
    writeFileSync(path, JSON.stringify(header) + '\n{"input":3,"item":1,"outcome":"delivered"}\n')
    await expect(readJournal(path)).rejects.toThrow('line 2 is not a journal entry')
  })

  it('reopens a journal cut by a crash without the cut line, then appends', async () => {
    const path = join(dir, `${n++}.jsonl`)
    writeFileSync(path, JSON.stringify(header) + '\n' + outcomeLine(at(0), 'm0', 'delivered') + '{"input":0,"it')
    const writer = JournalWriter.reopen(path, { resumedAt: 'now', failedFile: 'f2.jsonl' })
    await writer.record(at(1), 'm1', 'delivered')
    await writer.close()
    const lines = readFileSync(path, 'utf8').split('\n')
    expect(lines.slice(1)).toEqual([
      '{"input":0,"item":0,"line":1,"messageId":"m0","outcome":"delivered"}',
      '{"resumedAt":"now","failedFile":"f2.jsonl"}',
      '{"input":0,"item":1,"line":2,"messageId":"m1","outcome":"delivered"}',
      ''
    ])
    expect((await readJournal(path)).failedFiles).toEqual(['failed.jsonl', 'f2.jsonl'])
  })
})

describe('DoneSet', () => {
  it('counts each place once however often it is marked', () => {
    const done = new DoneSet()
    done.mark(2, 70_000, 'a')
    done.mark(2, 70_000, 'a')
    expect(done.size).toBe(1)
    expect(done.check(2, 70_000, 'a')).toBe('done')
    expect(done.check(0, 70_000, 'a')).toBe('new')
  })
})
