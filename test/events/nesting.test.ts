import { writeFileSync } from 'fs'
import { join } from 'path'
import { toItem } from '../../src/events/items'
import type { InputItem } from '../../src/events/items'
import { MAX_EVENT_NESTING, nestingBeyond, valueDepth } from '../../src/events/jsonNesting'
import { parsePaste } from '../../src/events/pasteParser'
import { readEvents } from '../../src/events/readEvents'
import { tempDir } from '../cli/helpers'

/** An event whose properties.x is `levels` arrays deep: the event nests levels + 2 deep in all. */
const deepEvent = (levels: number, messageId = 'deep') =>
  `{"type":"track","event":"Deep","userId":"u","messageId":"${messageId}","timestamp":"2026-01-01T00:00:00.000Z","properties":{"x":${'['.repeat(
    levels
  )}${']'.repeat(levels)}}}`
const shallow = (messageId: string) => JSON.stringify({ type: 'track', event: 'OK', userId: 'u', messageId })

const refusedItem = (depth: number, more: Record<string, unknown> = {}) =>
  expect.objectContaining({
    ...more,
    kind: 'malformed',
    refused: 'too deep',
    reason: expect.stringMatching(
      new RegExp(`^nested ${depth} levels deep; Movable Ink's mappings and Segment's pipeline cannot use it`)
    )
  })

describe('events nested too deep to process', () => {
  it('measures nesting only when the text has more opening brackets than the limit', () => {
    expect(nestingBeyond(deepEvent(10), MAX_EVENT_NESTING)).toBeUndefined()
    // Many brackets, little nesting: counted, then scanned, and let through.
    expect(nestingBeyond(`[${'[],'.repeat(500)}[]]`, MAX_EVENT_NESTING)).toBeUndefined()
    expect(nestingBeyond(`{"s":"${'['.repeat(500)}"}`, MAX_EVENT_NESTING)).toBeUndefined()
    expect(nestingBeyond(deepEvent(6000), MAX_EVENT_NESTING)).toBe(6002)
    expect(valueDepth(JSON.parse(deepEvent(100_000)))).toBe(100_002)
  })

  it(`refuses an event nested more than ${MAX_EVENT_NESTING} levels, keeping its text and place, before parsing it`, () => {
    expect(toItem(deepEvent(MAX_EVENT_NESTING - 2), 'f.jsonl', 3)).toMatchObject({ kind: 'event' })
    const text = deepEvent(MAX_EVENT_NESTING - 1)
    expect(toItem(text, 'f.jsonl', 3)).toEqual(
      refusedItem(MAX_EVENT_NESTING + 1, { source: 'f.jsonl', line: 3, raw: text })
    )
    expect(toItem(deepEvent(6000), 'f.jsonl', 1)).toEqual(refusedItem(6002))
  })

  it('takes a failed-events record one level deeper than its event, and refuses a deeper one', () => {
    const record = (levels: number) => `{"movableInkFailure":{"reason":"x"},"event":${deepEvent(levels)}}`
    expect(toItem(record(MAX_EVENT_NESTING - 2), 'failed.jsonl', 1)).toMatchObject({ kind: 'event' })
    expect(toItem(record(MAX_EVENT_NESTING - 1), 'failed.jsonl', 1)).toEqual(refusedItem(MAX_EVENT_NESTING + 2))
    // A refused event's record holds its text, which is refused again when replayed.
    const raw = JSON.stringify({ movableInkFailure: { reason: 'refused' }, raw: deepEvent(6000) })
    expect(toItem(raw, 'failed.jsonl', 1)).toEqual(refusedItem(6002))
  })

  it('refuses the deep event alone in JSON Lines, a JSON array and a single document, reading on', async () => {
    const dir = tempDir()
    const read = async (name: string, text: string) => {
      writeFileSync(join(dir, name), text)
      const items: InputItem[] = []
      for await (const item of readEvents(join(dir, name))) items.push(item)
      return items
    }
    const lines = await read('deep.jsonl', [shallow('a'), deepEvent(6000), shallow('b')].join('\n'))
    expect(lines).toEqual([
      expect.objectContaining({ kind: 'event', line: 1 }),
      refusedItem(6002, { line: 2 }),
      expect.objectContaining({ kind: 'event', line: 3 })
    ])
    const array = await read('deep.json', `[\n${shallow('a')},\n${deepEvent(6000)},\n${shallow('b')}\n]`)
    expect(array.map((i) => [i.kind, i.line, i.kind === 'malformed' && i.refused])).toEqual([
      ['event', 2, false],
      ['malformed', 3, 'too deep'],
      ['event', 4, false]
    ])
    expect(await read('one.json', deepEvent(100_000))).toEqual([refusedItem(100_002)])
  })

  it('refuses it in a paste too: alone, in an array, in JSON Lines, and among pasted objects', () => {
    expect(parsePaste(deepEvent(6000), 'paste 1')).toEqual([refusedItem(6002)])
    const array = parsePaste(`[${shallow('a')}, ${deepEvent(6000)}, ${shallow('b')}]`, 'paste 2')
    expect(array.map((i) => [i.kind, i.line])).toEqual([
      ['event', 1],
      ['malformed', 2],
      ['event', 3]
    ])
    expect(array[1]).toEqual(refusedItem(6002))
    const lines = parsePaste([shallow('a'), deepEvent(6000), shallow('b')].join('\n'), 'paste 3')
    expect(lines.map((i) => [i.kind, i.line])).toEqual([
      ['event', 1],
      ['malformed', 2],
      ['event', 3]
    ])
  })
})
