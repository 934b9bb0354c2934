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

/** The index of the quote that closes the string opened at `start`, or the text's length. */
function closingQuote(text: string, start: number): number {
  for (let i = text.indexOf('"', start + 1); i !== -1; i = text.indexOf('"', i + 1)) {
    let backslashes = 0
    while (text.charCodeAt(i - 1 - backslashes) === BACKSLASH) backslashes++
    if (backslashes % 2 === 0) return i
  }
  return text.length
}

/**
 * How deeply a JSON text nests (objects and arrays), 0 for a scalar: JsonNesting's reading of the text, done
 * in one pass that jumps over each string with a native search (most of an event is strings), since the
 * stand-in measures every body it gets.
 */
export function nestingDepth(text: string): number {
  let [depth, deepest] = [0, 0]
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === QUOTE) i = closingQuote(text, i)
    else if (code === OPEN_BRACE || code === OPEN_BRACKET) deepest = Math.max(deepest, ++depth)
    else if ((code === CLOSE_BRACE || code === CLOSE_BRACKET) && depth > 0) depth--
  }
  return deepest
}

/**
 * The deepest nesting (objects and arrays) an event may have. jq 1.6 and 1.7, the language of Movable Ink's
 * event mappings (jq-web runs jq 1.7 here), stop parsing at 256 levels of their parser, where an object counts
 * twice: 128 nested objects is the most every mix of objects and arrays keeps within. Segment's pipeline goes
 * further but not much: mapping-kit, actions-core's validation and JSON.stringify overflow Node's stack from
 * about 2,200 levels in the main thread (docs/destination.md#nesting). Real events nest a few levels.
 */
export const MAX_EVENT_NESTING = 128

/** Why an event nested `depth` levels deep is refused, in the words every command uses. */
export function tooDeepReason(depth: number): string {
  return (
    `nested ${depth} levels deep; Movable Ink's mappings and Segment's pipeline cannot use it ` +
    `(at most ${MAX_EVENT_NESTING} levels: jq, the language of Movable Ink's event mappings, reads no deeper). ` +
    'Flatten the deepest property, or leave it out of the event.'
  )
}

/**
 * How deep a JSON text nests when that is more than `limit`, else undefined. Nesting cannot pass the limit
 * without more opening brackets than the limit, and an event has a few dozen: counting them (a native search)
 * settles nearly every text without the character-by-character scan.
 */
export function nestingBeyond(text: string, limit: number): number | undefined {
  if (!mayNestBeyond(text, limit)) return undefined
  const depth = nestingDepth(text)
  return depth > limit ? depth : undefined
}

/** Whether a text has more opening brackets than `limit`, without which it cannot nest deeper than that. */
export function mayNestBeyond(text: string, limit: number): boolean {
  let openers = 0
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i !== -1 && openers <= limit; i = text.indexOf(bracket, i + 1)) openers++
  }
  return openers > limit
}

/**
 * How deeply a parsed JSON value nests, without recursion (so any depth JSON.parse made can be measured). It
 * visits the value's objects and arrays only: cheaper than reading the text again for a value already parsed.
 */
export function valueDepth(value: unknown): number {
  let deepest = 0
  const stack: unknown[] = [value]
  const depths: number[] = [1]
  const visit = (child: unknown, depth: number) => {
    if (child === null || typeof child !== 'object') return
    stack.push(child)
    depths.push(depth)
  }
  while (stack.length > 0) {
    const current = stack.pop() as Record<string, unknown> | unknown[] | null
    const depth = depths.pop() as number
    if (current === null || typeof current !== 'object') continue
    if (depth > deepest) deepest = depth
    if (Array.isArray(current)) for (let i = 0; i < current.length; i++) visit(current[i], depth + 1)
    else for (const key in current) visit(current[key], depth + 1)
  }
  return deepest
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
