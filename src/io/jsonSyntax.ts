/**
 * Where a text stops being JSON, as data: the offset of the first character that cannot continue a JSON
 * text (RFC 8259, as JSON.parse reads it), the text's length when it is only cut short, or undefined when it
 * is JSON. Callers locate a JSON.parse failure with it instead of reading a position out of V8's message,
 * which Node 20 gives for some mistakes and not others. Iterative, so that deep nesting costs no stack.
 */
export function jsonSyntaxErrorAt(text: string): number | undefined {
  const scan = new Scanner(text)
  return scan.run()
}

type Expect = 'value' | 'after-value' | 'key' | 'colon' | 'first-value' | 'first-key'

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d])
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't'])
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const HEX4 = /[0-9a-fA-F]{4}/y

class Scanner {
  private at = 0
  /** The open containers, innermost last: '{' or '['. */
  private readonly open: string[] = []
  private expect: Expect = 'value'

  constructor(private readonly text: string) {}

  run(): number | undefined {
    for (;;) {
      this.skipWhitespace()
      if (this.at >= this.text.length)
        return this.expect === 'after-value' && this.open.length === 0 ? undefined : this.at
      const bad = this.step(this.text[this.at])
      if (bad !== undefined) return bad
    }
  }

  /** Takes what starts at the current offset; the offset of a mistake, if it is one. */
  private step(char: string): number | undefined {
    switch (this.expect) {
      case 'first-value':
        if (char === ']') return this.close('[')
      // falls through: an array's first element is any value
      case 'value':
        return this.value(char)
      case 'first-key':
        if (char === '}') return this.close('{')
      // falls through
      case 'key':
        if (char !== '"') return this.at
        this.expect = 'colon'
        return this.string()
      case 'colon':
        if (char !== ':') return this.at
        this.at++
        this.expect = 'value'
        return undefined
      case 'after-value':
        return this.afterValue(char)
    }
  }

  private value(char: string): number | undefined {
    this.expect = 'after-value'
    if (char === '"') return this.string()
    if (char === '{' || char === '[') {
      this.open.push(char)
      this.at++
      this.expect = char === '{' ? 'first-key' : 'first-value'
      return undefined
    }
    for (const word of ['true', 'false', 'null']) if (this.text.startsWith(word, this.at)) return this.skip(word.length)
    NUMBER.lastIndex = this.at
    const number = NUMBER.exec(this.text)
    return number ? this.skip(number[0].length) : this.at
  }

  private afterValue(char: string): number | undefined {
    const inside = this.open[this.open.length - 1]
    if (inside === undefined) return this.at // a second value after a whole text
    if (char === ',') {
      this.at++
      this.expect = inside === '{' ? 'key' : 'value'
      return undefined
    }
    return this.close(inside)
  }

  private close(inside: string): number | undefined {
    if (this.text[this.at] !== (inside === '{' ? '}' : ']')) return this.at
    this.open.pop()
    this.at++
    this.expect = 'after-value'
    return undefined
  }

  /** A string from its opening quote: a raw control character, a bad escape or no closing quote is a mistake. */
  private string(): number | undefined {
    for (let at = this.at + 1; at < this.text.length; at++) {
      const code = this.text.charCodeAt(at)
      if (code === 0x22) return this.skip(at + 1 - this.at)
      if (code < 0x20) return at
      if (code !== 0x5c) continue
      const escaped = this.text[at + 1]
      if (escaped === undefined) return at + 1
      if (escaped === 'u') {
        HEX4.lastIndex = at + 2
        if (!HEX4.test(this.text)) return at + 2
        at += 5
      } else if (ESCAPES.has(escaped)) at++
      else return at + 1
    }
    return this.text.length
  }

  private skip(length: number): undefined {
    this.at += length
    return undefined
  }

  private skipWhitespace(): void {
    while (this.at < this.text.length && WHITESPACE.has(this.text.charCodeAt(this.at))) this.at++
  }
}
