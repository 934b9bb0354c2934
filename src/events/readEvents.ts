import { isObject } from '@segment/actions-core'
import { createReadStream } from 'fs'
import { extname } from 'path'
import type { Readable } from 'stream'
import { jsonSyntaxErrorAt } from '../io/jsonSyntax'
import { malformed, toItem } from './items'
import type { InputItem, ReadOptions } from './items'
import { CHAR, isWhitespace, JsonNesting, lineAt } from './jsonNesting'

/**
 * Reading events from files or stdin, streamed: the caller pulls one item at a time and the file is only read
 * as fast as it pulls, so memory stays flat however many events a file holds. Three shapes are accepted:
 *
 * - JSON Lines (one event per line; `.jsonl`/`.ndjson`, or any input whose first line is a whole JSON object),
 * - a JSON array of events (input starting with `[`), split element by element without parsing the whole file,
 * - a single JSON document holding one event (for example a pretty-printed `.json` file).
 *
 * A line or element that is not a JSON object is reported as `malformed` with its line number and its text,
 * and reading goes on with the next one (items.ts).
 */

export type InputFormat = 'auto' | 'json' | 'jsonl'

/** Progress of the reading, for a progress bar: bytes read so far. */
export interface ReadProgress {
  bytesRead: number
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
  source: string,
  options: ReadOptions
): AsyncGenerator<InputItem> {
  for await (const { text, line } of lines) {
    const trimmed = text.trim()
    if (trimmed === '') continue
    yield toItem(trimmed, source, line, options)
  }
}

/**
 * Splits a JSON array into its elements' text without parsing the whole array (jsonNesting.ts). The chunks
 * start just after the opening `[`. An element that is not valid JSON is reported with the line it starts on
 * and the next element is read as usual.
 */
async function* jsonArrayElements(
  chunks: AsyncIterable<string>,
  source: string,
  firstLine: number,
  options: ReadOptions
): AsyncGenerator<InputItem> {
  const nesting = new JsonNesting()
  let line = firstLine
  let parts: string[] = []
  let elementLine = 0
  let inElement = false
  let ended = false
  for await (const chunk of chunks) {
    let start = 0
    for (let i = 0; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i)
      if (code === 10) line++
      if (ended) {
        if (isWhitespace(code)) continue
        yield malformed(source, line, chunk.slice(i).trim(), 'unexpected text after the end of the JSON array')
        return
      }
      if (!inElement) {
        if (isWhitespace(code) || code === CHAR.COMMA) continue
        if (code === CHAR.CLOSE_BRACKET) {
          ended = true
          continue
        }
        inElement = true
        elementLine = line
        start = i
        nesting.reset()
      }
      if (nesting.feed(code) !== 'other' || nesting.depth > 0) continue
      if (code !== CHAR.COMMA && code !== CHAR.CLOSE_BRACKET) continue
      parts.push(chunk.slice(start, i))
      yield toItem(parts.join('').trim(), source, elementLine, options)
      parts = []
      inElement = false
      if (code === CHAR.CLOSE_BRACKET) ended = true
    }
    if (inElement) parts.push(chunk.slice(start))
  }
  if (inElement)
    yield malformed(source, elementLine, parts.join('').trim(), 'the JSON array ends in the middle of this element')
  else if (!ended) yield malformed(source, line, '', 'the JSON array is not closed with "]"')
}

const MAX_DOCUMENT_CHARS = 64 * 1024 * 1024

/**
 * A single JSON document (one event). If it is not valid JSON as a whole but some of its lines are, it was
 * JSON Lines after all (with a broken first line): it is read as such.
 */
async function* jsonDocument(
  head: string,
  rest: AsyncIterable<string>,
  source: string,
  options: ReadOptions
): AsyncGenerator<InputItem> {
  const parts = [head]
  let size = head.length
  for await (const chunk of rest) {
    parts.push(chunk)
    size += chunk.length
    if (size > MAX_DOCUMENT_CHARS) {
      const mb = MAX_DOCUMENT_CHARS / 1024 / 1024
      yield malformed(
        source,
        1,
        '',
        `a single JSON document larger than ${mb} MB: write one event per line (JSON Lines) or a JSON array`
      )
      return
    }
  }
  const text = parts.join('').trim()
  try {
    JSON.parse(text)
    yield toItem(text, source, 1, options)
    return
  } catch (error) {
    const items: InputItem[] = []
    for await (const item of jsonLines(linesOf(single(text)), source, options)) items.push(item)
    if (items.some((item) => item.kind === 'event')) {
      yield* items
      return
    }
    const position = jsonSyntaxErrorAt(text)
    const line = position === undefined ? 1 : lineAt(text, position)
    yield malformed(source, line, text, `not valid JSON (${(error as Error).message})`)
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
  progress: ReadProgress = { bytesRead: 0 },
  options: ReadOptions = {}
): AsyncGenerator<InputItem> {
  const source = file === '-' ? 'stdin' : file
  const iterator = chunksOf(openInput(file), progress)[Symbol.asyncIterator]()
  const extension = extname(file).toLowerCase()
  if (format === 'jsonl' || (format === 'auto' && (extension === '.jsonl' || extension === '.ndjson'))) {
    yield* jsonLines(linesOf(prepend('', iterator)), source, options)
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
    if (head.charCodeAt(firstChar) === CHAR.OPEN_BRACKET || format === 'json' || head.indexOf('\n', firstChar) !== -1)
      break
  }
  if (firstChar === -1) return // empty input

  if (head.charCodeAt(firstChar) === CHAR.OPEN_BRACKET) {
    const linesBefore = lineAt(head, firstChar)
    yield* jsonArrayElements(prepend(head.slice(firstChar + 1), iterator), source, linesBefore, options)
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
      yield* jsonLines(linesOf(prepend(head, iterator)), source, options)
      return
    }
  }
  yield* jsonDocument(head, prepend('', iterator), source, options)
}
