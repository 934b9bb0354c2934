import { toItem } from './items'
import type { InputItem } from './items'
import { CHAR, JsonNesting, NEWLINE } from './jsonNesting'
import { sizeText } from '../io/sizeText'

/**
 * Events pasted or dropped on the page: one event, a JSON array, JSON Lines, or what Segment's debugger copies
 * from its "Raw" view (pretty-printed JSON objects, several of them one after another when several are copied).
 * Each event becomes the same InputItem that `preview` reads from a file (items.ts), so both check the same thing.
 */

/** The largest paste or dropped file the studio takes; a bigger input belongs to `movable-ink preview FILE`. */
export const MAX_PASTE_BYTES = 5 * 1024 * 1024

/** A paste is for the studio, which shows integers beyond 2^53 (items.ts). */
const SHOWN = { unsafeIntegers: true }

export class PasteError extends Error {
  readonly name = 'PasteError'
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

function parses(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (error) {
    return { ok: false, error: (error as Error).message }
  }
}

/** Top-level {...} blocks of text (text between them is ignored): concatenated pretty-printed objects. */
function objectBlocks(text: string): { text: string; line: number }[] {
  const blocks: { text: string; line: number }[] = []
  const nesting = new JsonNesting()
  let [start, line, startLine] = [-1, 1, 1]
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === NEWLINE) line++
    if (nesting.depth === 0 && code !== CHAR.OPEN_BRACE) continue
    if (nesting.depth === 0) [start, startLine] = [i, line]
    if (nesting.feed(code) === 'close' && nesting.depth === 0)
      blocks.push({ text: text.slice(start, i + 1), line: startLine })
  }
  return blocks
}

/**
 * The elements of a JSON array's text (known to be valid JSON), each as its own text: an element is parsed
 * from what was pasted, never re-serialized, so its depth is checked and its digits are kept (items.ts).
 */
function arrayElements(text: string): string[] {
  const elements: string[] = []
  const nesting = new JsonNesting()
  let start = -1
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    const kind = nesting.feed(code)
    if (kind === 'open' && nesting.depth === 1) start = i + 1
    const ends =
      (kind === 'other' && code === CHAR.COMMA && nesting.depth === 1) || (kind === 'close' && nesting.depth === 0)
    if (!ends) continue
    const element = text.slice(start, i).trim()
    if (element !== '') elements.push(element)
    start = i + 1
  }
  return elements
}

function jsonLines(text: string, source: string): InputItem[] | undefined {
  const lines = text.split('\n')
  const items: InputItem[] = []
  lines.forEach((line, i) => {
    if (line.trim() !== '') items.push(toItem(line.trim(), source, i + 1, SHOWN))
  })
  return items.length > 1 && items.every((item) => item.kind === 'event') ? items : undefined
}

/** The events in a paste; a PasteError (413 or 400) that says what is wrong when there are none. */
export function parsePaste(text: string, source: string): InputItem[] {
  const bytes = Buffer.byteLength(text)
  if (bytes > MAX_PASTE_BYTES)
    throw new PasteError(
      413,
      `The paste is ${sizeText(bytes)}, over the studio's limit of ${sizeText(MAX_PASTE_BYTES)} a paste. ` +
        'Check bigger files with: movable-ink preview FILE'
    )
  const trimmed = text.replace(/^\ufeff/, '').trim()
  if (trimmed === '') throw new PasteError(400, 'The paste is empty: paste one event, an array, or JSON Lines.')
  const whole = parses(trimmed)
  if (whole.ok) {
    if (Array.isArray(whole.value)) {
      if (whole.value.length === 0) throw new PasteError(400, 'The pasted array is empty: it holds no events.')
      return arrayElements(trimmed).map((element, i) => toItem(element, source, i + 1, SHOWN))
    }
    return [toItem(trimmed, source, 1, SHOWN)]
  }
  const lines = jsonLines(trimmed, source)
  if (lines) return lines
  const blocks = objectBlocks(trimmed)
  if (blocks.length > 0) return blocks.map((b) => toItem(b.text, source, b.line, SHOWN))
  throw new PasteError(
    400,
    `The paste is not JSON (${whole.error}): paste one event, a JSON array of events, JSON Lines, ` +
      "or the event as Segment's debugger shows it under Raw."
  )
}
