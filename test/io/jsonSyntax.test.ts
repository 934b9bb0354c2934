import { jsonSyntaxErrorAt } from '../../src/io/jsonSyntax'

/** JSON.parse's verdict, the reference: the scanner must call a text JSON exactly when JSON.parse does. */
function parses(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

const VALID = [
  '{}',
  '[]',
  ' {"a": [1, -2.5e+3, 0, true, false, null, "x\\"y\\u00e9\\n"]} ',
  '"just a string"',
  '0',
  '[[[[]]]]',
  '{"a":{"b":{"c":[{"d":null}]}}}'
]

/** Each mistake with the offset of its first offending character. */
const MISTAKES: [string, number][] = [
  ['{"a": 1,}', 8], // trailing comma: Node 20 names no position for it
  ['{"a" 1}', 5],
  ['[1 2]', 3],
  ['{"a": tru}', 6],
  ['{"a": 01}', 7],
  ['{"a": "x\ty"}', 8], // a raw tab inside a string
  ['{"a": "\\x"}', 8],
  ['{"a": "\\u12G4"}', 9],
  ["{'a': 1}", 1],
  ['{"a": 1}}', 8],
  ['{"a": 1} {"b": 2}', 9],
  ['[1,]', 3],
  ['{,}', 1]
]

/** Texts that are only cut short: the offset is their length. */
const CUT_SHORT = ['', '   ', '{"a": [1, 2', '{"a": "unfinished', '[', '{"a":']

describe('jsonSyntaxErrorAt', () => {
  it.each(VALID)('finds no mistake in %s, as JSON.parse', (text) => {
    expect(parses(text)).toBe(true)
    expect(jsonSyntaxErrorAt(text)).toBeUndefined()
  })

  it.each(MISTAKES)('finds the first mistake of %s at offset %i', (text, offset) => {
    expect(parses(text)).toBe(false)
    expect(jsonSyntaxErrorAt(text)).toBe(offset)
  })

  it.each(CUT_SHORT)('answers the length of %j, which is only cut short', (text) => {
    expect(parses(text)).toBe(false)
    expect(jsonSyntaxErrorAt(text)).toBe(text.length)
  })

  it('scans nesting far deeper than a call stack would allow', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(199_999) + '}'
    expect(jsonSyntaxErrorAt(deep)).toBe(deep.length - 1)
  })
})
