import { writeFileSync } from 'fs'
import { join } from 'path'
import { readEventBatches, readEvents } from '../../src/events/readEvents'
import type { InputItem } from '../../src/events/items'
import { tempDir } from '../cli/helpers'

const dir = tempDir()

async function read(name: string, text: string, format: 'auto' | 'json' | 'jsonl' = 'auto'): Promise<InputItem[]> {
  const path = join(dir, name)
  writeFileSync(path, text)
  const items: InputItem[] = []
  for await (const item of readEvents(path, format)) items.push(item)
  return items
}

const summary = (items: InputItem[]) =>
  items.map((item) => (item.kind === 'event' ? [item.line, item.event.n] : [item.line, 'malformed']))

describe('readEvents', () => {
  it('reads JSON Lines, skipping blank lines and numbering lines from 1', async () => {
    const items = await read('a.jsonl', '{"n":1}\n\n{"n":2}\r\n{"n":3}')
    expect(summary(items)).toEqual([
      [1, 1],
      [3, 2],
      [4, 3]
    ])
  })

  it('reports a malformed line with its line number and text, and reads on', async () => {
    const items = await read('b.jsonl', '{"n":1}\n{"n": oops}\n[1]\n{"n":4}\n')
    expect(summary(items)).toEqual([
      [1, 1],
      [2, 'malformed'],
      [3, 'malformed'],
      [4, 4]
    ])
    expect(items[1]).toMatchObject({
      kind: 'malformed',
      raw: '{"n": oops}',
      reason: expect.stringContaining('not valid JSON')
    })
    expect(items[2]).toMatchObject({ reason: 'not an event: expected a JSON object, found an array' })
  })

  it('reads a JSON array element by element, with the line each starts on', async () => {
    const text =
      '[\n  {"n": 1, "s": "a ] , } [ \\" {"},\n  {"n": 2,\n   "nested": [1, {"x": [2]}]},\n  {"n": bad},\n  {"n": 4}\n]\n'
    const items = await read('c.json', text)
    expect(summary(items)).toEqual([
      [2, 1],
      [3, 2],
      [5, 'malformed'],
      [6, 4]
    ])
  })

  it('reports an array that is cut short', async () => {
    const items = await read('d.json', '[{"n":1}, {"n":2')
    expect(summary(items)).toEqual([
      [1, 1],
      [1, 'malformed']
    ])
  })

  it('reads a single pretty-printed JSON document', async () => {
    const items = await read('e.json', '\ufeff{\n  "n": 1,\n  "type": "track"\n}\n')
    expect(summary(items)).toEqual([[1, 1]])
  })

  it('reports a broken single document once, with the reason', async () => {
    const text = '{\n  "n": 1,\n  "type": \n}'
    const items = await read('f.json', text + '\n')
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ kind: 'malformed', raw: text, reason: expect.stringContaining('not valid JSON') })
  })

  it('treats input whose first line is an object as JSON Lines, whatever its name', async () => {
    expect(summary(await read('g.txt', '{"n":1}\n{"n":2}\n'))).toEqual([
      [1, 1],
      [2, 2]
    ])
  })

  it('falls back to JSON Lines when the first line of a JSON Lines input is broken', async () => {
    expect(summary(await read('h.json', '{"n": \n{"n":2}\n{"n":3}\n'))).toEqual([
      [1, 'malformed'],
      [2, 2],
      [3, 3]
    ])
  })

  it('unwraps records of a failed-events file so that it can be sent again', async () => {
    const text = [
      JSON.stringify({ movableInkFailure: { reason: 'HTTP 500' }, event: { n: 1 } }),
      JSON.stringify({ movableInkFailure: { reason: 'malformed input' }, raw: '{"n": 2}' }),
      JSON.stringify({ movableInkFailure: { reason: 'malformed input' }, raw: '{"n": still bad' })
    ].join('\n')
    expect(summary(await read('failed.jsonl', text))).toEqual([
      [1, 1],
      [2, 2],
      [3, 'malformed']
    ])
  })

  it('reads nothing from an empty input', async () => {
    expect(await read('empty.json', '  \n')).toEqual([])
  })

  it('gives JSON Lines a chunk at a time, the same items as readEvents one by one', async () => {
    // send reads millions of lines: a batch per chunk, not per line, keeps the async iteration off each event.
    const lines = Array.from({ length: 2000 }, (_, i) => (i === 700 ? '{"n": broken' : JSON.stringify({ n: i })))
    const path = join(dir, 'many.jsonl')
    writeFileSync(path, lines.join('\n') + '\n')
    const batches: InputItem[][] = []
    for await (const batch of readEventBatches(path, 'auto')) batches.push(batch)
    expect(batches.length).toBeLessThan(10)
    expect(summary(batches.flat())).toEqual(summary(await read('many-again.jsonl', lines.join('\n') + '\n')))
    expect(summary(batches.flat())[700]).toEqual([701, 'malformed'])
    expect(batches.flat()).toHaveLength(2000)
  })
})
