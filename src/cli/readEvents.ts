import { isObject } from '@segment/actions-core'
import { createReadStream } from 'fs'
import { extname } from 'path'
import type { Readable } from 'stream'

/**
 * Reading events from files or stdin, streamed: the caller pulls one item at a time and the file is only read
 * as fast as it pulls, so memory stays flat however many events a file holds. Three shapes are accepted:
 *
 * - JSON Lines (one event per line; `.jsonl`/`.ndjson`, or any input whose first line is a whole JSON object),
 * - a JSON array of events (input starting with `[`), split element by element without parsing the whole file,
 * - a single JSON document holding one event (for example a pretty-printed `.json` file).
 *
 * A line or element that is not a JSON object is reported as `malformed` with its line number and its text,
 * and reading goes on with the next one. Records from a failed-events file (written by `send --failed`) are
 * unwrapped, so that file can be sent again as it is.
 */

export type EventRecord = Record<string, unknown>

export interface EventItem {
  kind: 'event'
  event: EventRecord
  source: string
  line: number
}

export interface MalformedItem {
  kind: 'malformed'
  source: string
  line: number
  raw: string
  reason: string
}

export type InputItem = EventItem | MalformedItem

export type InputFormat = 'auto' | 'json' | 'jsonl'

/** Progress of the reading, for a progress bar: bytes read so far and, for files, the total. */
export interface ReadProgress {
  bytesRead: number
}

/** The key of a failed-events record: `{ "movableInkFailure": {...}, "event": {...} }` or `{ ..., "raw": "..." }`. */
export const FAILURE_KEY = 'movableInkFailure'

/** One piece of JSON text (a line, an element, a document) to an input item. */
export function toItem(text: string, source: string, line: number): InputItem {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { kind: 'malformed', source, line, raw: text, reason: `not valid JSON (${(error as Error).message})` }
  }
  if (!isObject(value)) {
    const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`
    return { kind: 'malformed', source, line, raw: text, reason: `not an event: expected a JSON object, found ${what}` }
  }
  const failure = value[FAILURE_KEY]
  if (isObject(failure)) {
    if (isObject(value.event)) return { kind: 'event', event: value.event, source, line }
    if (typeof value.raw === 'string') return toItem(value.raw, source, line)
  }
  return { kind: 'event', event: value, source, line }
}

function openInput(file: string): Readable {
  if (file === '-') return process.stdin
  return createReadStream(file, { highWaterMark: 256 * 1024 })
}

/** Yields the input as text chunks and counts the bytes. */
async function* chunksOf(stream: Readable, progress: ReadProgress): AsyncGenerator<string> {
  stream.setEncoding('utf8')
  for await (const chunk of stream as AsyncIterable<string>) {
    progress.bytesRead = (stream as { bytesRead?: number }).bytesRead ?? progress.bytesRead + Buffer.byteLength(chunk)
    yield chunk
  }
}

/** Splits text chunks into lines, numbered from 1; a final line without a newline is yielded too. */
export async function* linesOf(chunks: AsyncIterable<string>): AsyncGenerator<{ text: string; line: number }> {
  let rest = ''
  let line = 0
  for await (const chunk of chunks) {
    let start = 0
    let text = rest + chunk
    let newline = text.indexOf('\n', start)
    while (newline !== -1) {
      line++
      yield { text: text.slice(start, newline), line }
      start = newline + 1
      newline = text.indexOf('\n', start)
    }
    rest = text.slice(start)
    text = ''
  }
  if (rest !== '') {
    line++
    yield { text: rest, line }
  }
}

async function* jsonLines(
  lines: AsyncIterable<{ text: string; line: number }>,
  source: string
): AsyncGenerator<InputItem> {
  for await (const { text, line } of lines) {
    const trimmed = text.trim()
    if (trimmed === '') continue
    yield toItem(trimmed, source, line)
  }
}

const OPEN_BRACE = 123 // {
const CLOSE_BRACE = 125 // }
const OPEN_BRACKET = 91 // [
const CLOSE_BRACKET = 93 // ]
const QUOTE = 34 // "
const BACKSLASH = 92 // \
const COMMA = 44 // ,
const NEWLINE = 10 // \n

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 0xfeff
}

/**
 * Splits a JSON array into its elements' text without parsing the whole array: a small scanner that tracks
 * strings and nesting. The chunks start just after the opening `[`. An element that is not valid JSON is
 * reported with the line it starts on and the next element is read as usual.
 */
async function* jsonArrayElements(
  chunks: AsyncIterable<string>,
  source: string,
  firstLine: number
): AsyncGenerator<InputItem> {
  let line = firstLine
  let depth = 0
  let inString = false
  let escaped = false
  let parts: string[] = []
  let elementLine = 0
  let inElement = false
  let ended = false
  for await (const chunk of chunks) {
    let start = 0
    for (let i = 0; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i)
      if (code === NEWLINE) line++
      if (ended) {
        if (!isWhitespace(code)) {
          yield {
            kind: 'malformed',
            source,
            line,
            raw: chunk.slice(i).trim(),
            reason: 'unexpected text after the end of the JSON array'
          }
          return
        }
        continue
      }
      if (inString) {
        if (escaped) escaped = false
        else if (code === BACKSLASH) escaped = true
        else if (code === QUOTE) inString = false
        continue
      }
      if (!inElement) {
        if (isWhitespace(code)) continue
        if (code === CLOSE_BRACKET) {
          ended = true
          continue
        }
        if (code === COMMA) continue
        inElement = true
        elementLine = line
        start = i
      }
      if (code === QUOTE) inString = true
      else if (code === OPEN_BRACE || code === OPEN_BRACKET) depth++
      else if ((code === CLOSE_BRACE || code === CLOSE_BRACKET) && depth > 0) depth--
      else if (depth === 0 && (code === COMMA || code === CLOSE_BRACKET)) {
        parts.push(chunk.slice(start, i))
        yield toItem(parts.join('').trim(), source, elementLine)
        parts = []
        inElement = false
        if (code === CLOSE_BRACKET) ended = true
      }
    }
    if (inElement) {
      parts.push(chunk.slice(start))
    }
  }
  if (inElement) {
    yield {
      kind: 'malformed',
      source,
      line: elementLine,
      raw: parts.join('').trim(),
      reason: 'the JSON array ends in the middle of this element'
    }
  } else if (!ended) {
    yield { kind: 'malformed', source, line, raw: '', reason: 'the JSON array is not closed with "]"' }
  }
}

/** Line number (from 1) of a character position in text. */
function lineAt(text: string, position: number): number {
  let line = 1
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === NEWLINE) line++
  return line
}

const MAX_DOCUMENT_CHARS = 64 * 1024 * 1024

/**
 * A single JSON document (one event). If it is not valid JSON as a whole but some of its lines are, it was
 * JSON Lines after all (with a broken first line): it is read as such.
 */
async function* jsonDocument(head: string, rest: AsyncIterable<string>, source: string): AsyncGenerator<InputItem> {
  const parts = [head]
  let size = head.length
  for await (const chunk of rest) {
    parts.push(chunk)
    size += chunk.length
    if (size > MAX_DOCUMENT_CHARS) {
      yield {
        kind: 'malformed',
        source,
        line: 1,
        raw: '',
        reason: `a single JSON document larger than ${
          MAX_DOCUMENT_CHARS / 1024 / 1024
        } MB: write one event per line (JSON Lines) or a JSON array`
      }
      return
    }
  }
  const text = parts.join('').trim()
  try {
    JSON.parse(text)
    yield toItem(text, source, 1)
    return
  } catch (error) {
    const items: InputItem[] = []
    for await (const item of jsonLines(linesOf(single(text)), source)) items.push(item)
    if (items.some((item) => item.kind === 'event')) {
      yield* items
      return
    }
    const position = /position (\d+)/.exec((error as Error).message)
    yield {
      kind: 'malformed',
      source,
      line: position ? lineAt(text, Number(position[1])) : 1,
      raw: text,
      reason: `not valid JSON (${(error as Error).message})`
    }
  }
}

async function* single(text: string): AsyncGenerator<string> {
  yield text
}

/** Prepends already-read text to the rest of a chunk stream. */
async function* prepend(head: string, rest: AsyncIterator<string>): AsyncGenerator<string> {
  if (head) yield head
  for (;;) {
    const next = await rest.next()
    if (next.done) return
    yield next.value
  }
}

/** Reads one input (a path, or `-` for stdin) as a stream of items. */
export async function* readEvents(
  file: string,
  format: InputFormat = 'auto',
  progress: ReadProgress = { bytesRead: 0 }
): AsyncGenerator<InputItem> {
  const source = file === '-' ? 'stdin' : file
  const iterator = chunksOf(openInput(file), progress)[Symbol.asyncIterator]()
  const extension = extname(file).toLowerCase()
  if (format === 'jsonl' || (format === 'auto' && (extension === '.jsonl' || extension === '.ndjson'))) {
    yield* jsonLines(linesOf(prepend('', iterator)), source)
    return
  }

  // Look at the first character that is not white space, and for JSON Lines at the whole first line.
  let head = ''
  let firstChar = -1
  for (;;) {
    const next = await iterator.next()
    if (next.done) break
    head += next.value
    const match = /[^\s\ufeff]/.exec(head)
    if (!match) continue
    firstChar = match.index
    if (head.charCodeAt(firstChar) === OPEN_BRACKET || format === 'json' || head.indexOf('\n', firstChar) !== -1) break
  }
  if (firstChar === -1) return // empty input

  if (head.charCodeAt(firstChar) === OPEN_BRACKET) {
    const linesBefore = lineAt(head, firstChar)
    yield* jsonArrayElements(prepend(head.slice(firstChar + 1), iterator), source, linesBefore)
    return
  }
  if (format === 'auto') {
    const newline = head.indexOf('\n', firstChar)
    const firstLine = (newline === -1 ? head : head.slice(0, newline)).trim()
    let firstLineIsEvent = false
    try {
      firstLineIsEvent = isObject(JSON.parse(firstLine))
    } catch {
      firstLineIsEvent = false
    }
    if (firstLineIsEvent) {
      yield* jsonLines(linesOf(prepend(head, iterator)), source)
      return
    }
  }
  yield* jsonDocument(head, prepend('', iterator), source)
}
