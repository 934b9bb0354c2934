import { lineAt, nestingDepth } from '../../src/events/jsonNesting'
import { parsePaste } from '../../src/events/pasteParser'

describe('the JSON scanner', () => {
  it('measures nesting outside strings only', () => {
    expect(nestingDepth('42')).toBe(0)
    expect(nestingDepth('{"a":[1,{"b":[]}]}')).toBe(4)
    expect(nestingDepth('{"a":"[[[{{{","b":"\\"]]]"}')).toBe(1)
    expect(nestingDepth('['.repeat(10_000) + ']'.repeat(10_000))).toBe(10_000)
  })

  it('numbers lines from 1', () => {
    expect(lineAt('a\nb\nc', 0)).toBe(1)
    expect(lineAt('a\nb\nc', 4)).toBe(3)
  })

  it('cuts pasted objects apart at their top level, braces in strings included', () => {
    const items = parsePaste('{"type":"track","event":"a}"}\n\n{\n  "type": "identify",\n  "x": "{"\n}', 'paste')
    expect(items.map((i) => [i.kind, i.line])).toEqual([
      ['event', 1],
      ['event', 3]
    ])
  })
})
