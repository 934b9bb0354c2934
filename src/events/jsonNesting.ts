/**
 * The one JSON scanner: tracks strings and nesting character by character, without parsing, so that a stream
 * can be cut into its top-level values (a JSON array's elements, pasted objects one after another) and so that
 * how deep a value nests is known before anything recursive touches it.
 */

export const NEWLINE = 10 // \n
const QUOTE = 34 // "
const BACKSLASH = 92 // \
const OPEN_BRACE = 123 // {
const CLOSE_BRACE = 125 // }
const OPEN_BRACKET = 91 // [
const CLOSE_BRACKET = 93 // ]

/** What a character is to the structure: inside a string, opening or closing a level, or anything else. */
export type CharKind = 'string' | 'open' | 'close' | 'other'

export class JsonNesting {
  depth = 0
  /** The deepest level reached since the last `reset`. */
  maxDepth = 0
  private inString = false
  private escaped = false

  /** Feeds one character code (a string's quotes count as 'string'). */
  feed(code: number): CharKind {
    if (this.inString) {
      if (this.escaped) this.escaped = false
      else if (code === BACKSLASH) this.escaped = true
      else if (code === QUOTE) this.inString = false
      return 'string'
    }
    if (code === QUOTE) {
      this.inString = true
      return 'string'
    }
    if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      this.depth++
      if (this.depth > this.maxDepth) this.maxDepth = this.depth
      return 'open'
    }
    if ((code === CLOSE_BRACE || code === CLOSE_BRACKET) && this.depth > 0) {
      this.depth--
      return 'close'
    }
    return 'other'
  }

  reset(): void {
    this.depth = 0
    this.maxDepth = 0
    this.inString = false
    this.escaped = false
  }
}

/** How deeply a JSON text nests (objects and arrays), 0 for a scalar. */
export function nestingDepth(text: string): number {
  const nesting = new JsonNesting()
  for (let i = 0; i < text.length; i++) nesting.feed(text.charCodeAt(i))
  return nesting.maxDepth
}

/** Line number (from 1) of a character position in text. */
export function lineAt(text: string, position: number): number {
  let line = 1
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === NEWLINE) line++
  return line
}

export function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 0xfeff
}

export const CHAR = { OPEN_BRACE, CLOSE_BRACKET, OPEN_BRACKET, COMMA: 44 }
