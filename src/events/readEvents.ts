import { isObject } from '@segment/actions-core'
import { extname } from 'path'
import { jsonSyntaxErrorAt } from '../io/jsonSyntax'
import { malformed, toItem } from './items'
import type { InputItem, ReadOptions } from './items'
import { InputReadError, textOf } from './inputText'
import type { ReadProgress } from './inputText'
import { CHAR, isWhitespace, JsonNesting, lineAt } from './jsonNesting'
import { lineBatchesOf, MAX_LINE_CHARS, tooLongReason } from './lines'
import type { Line } from './lines'

export { linesOf } from './lines'
export type { ReadProgress } from './inputText'

/**
 * Reading events from files or stdin, streamed: the caller pulls one item at a time and the file is only read
 * as fast as it pulls, so memory stays flat however many events a file holds. The bytes are UTF-8 text or
 * gzip of it (inputText.ts, told by content); three shapes are accepted:
 *
 * - JSON Lines (one event per line; `.jsonl`/`.ndjson`, or any input whose first line is a whole JSON object),
 * - a JSON array of events (input starting with `[`), split element by element without parsing the whole file,
 * - a single JSON document holding one event (for example a pretty-printed `.json` file).
 *
 * A line or element that is not a JSON object is reported as `malformed` with its line number and its text,
 * and reading goes on with the next one (items.ts); so is a line or element over the size limit (lines.ts),
 * and a gzip cut short or corrupt part-way (the events before it are read).
 */

export type InputFormat = 'auto' | 'json' | 'jsonl'

/** One event's text as read, not parsed yet: `test --coverage` parses it in a worker thread. */
export interface TextPiece {
  kind: 'text'
  source: string
  line: number
  text: string
}

type Piece = InputItem | TextPiece

const maxLine = (options: ReadOptions) => options.maxLineChars ?? MAX_LINE_CHARS

/** A batch of JSON Lines as pieces: blank lines skipped, a line over the limit malformed. */
function jsonLinePieces(lines: Line[], source: string, options: ReadOptions): Piece[] {
  const pieces: Piece[] = []
  for (const { text, line, tooLong } of lines) {
    if (tooLong) {
      pieces.push(malformed(source, line, '', tooLongReason(maxLine(options))))
      continue
    }
    const trimmed = text.trim()
    if (trimmed !== '') pieces.push({ kind: 'text', source, line, text: trimmed })
  }
  return pieces
}

async function* jsonLines(
  batches: AsyncIterable<Line[]>,
  source: string,
  options: ReadOptions
): AsyncGenerator<Piece[]> {
  for await (const lines of batches) {
    const pieces = jsonLinePieces(lines, source, options)
    if (pieces.length > 0) yield pieces
  }
}

/** Where the array reader is: the element being read, from which line, and whether it is kept or too big. */
class ArrayElement {
  parts: string[] = []
  length = 0
  line = 0
  inside = false
  tooBig = false

  start(line: number): void {
    Object.assign(this, { parts: [], length: 0, line, inside: true, tooBig: false })
  }

  /** Keeps a piece of the element's text; false when that makes it bigger than the limit (it is then dropped). */
  keep(text: string, limit: number): boolean {
    if (this.tooBig) return true
    this.length += text.length
    this.parts.push(text)
    if (this.length <= limit) return true
    this.parts = []
    this.tooBig = true
    return false
  }
}

/**
 * Splits a JSON array into its elements' text without parsing the whole array (jsonNesting.ts). The chunks
 * start just after the opening `[`. An element that is not valid JSON is reported with the line it starts on
 * and the next element is read as usual; one over the size limit is reported once and skipped.
 */
async function* jsonArrayElements(
  chunks: AsyncIterable<string>,
  source: string,
  firstLine: number,
  options: ReadOptions
): AsyncGenerator<Piece> {
  const nesting = new JsonNesting()
  const element = new ArrayElement()
  let line = firstLine
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
      if (!element.inside) {
        if (isWhitespace(code) || code === CHAR.COMMA) continue
        if (code === CHAR.CLOSE_BRACKET) {
          ended = true
          continue
        }
        element.start(line)
        start = i
        nesting.reset()
      }
      if (nesting.feed(code) !== 'other' || nesting.depth > 0) continue
      if (code !== CHAR.COMMA && code !== CHAR.CLOSE_BRACKET) continue
      if (!element.keep(chunk.slice(start, i), maxLine(options)))
        yield malformed(source, element.line, '', tooLongReason(maxLine(options)).replace('a line', 'an array element'))
      if (!element.tooBig) yield { kind: 'text', source, line: element.line, text: element.parts.join('').trim() }
      element.inside = false
      if (code === CHAR.CLOSE_BRACKET) ended = true
    }
    if (element.inside && !element.keep(chunk.slice(start), maxLine(options)))
      yield malformed(source, element.line, '', tooLongReason(maxLine(options)).replace('a line', 'an array element'))
  }
  if (element.inside && !element.tooBig)
    yield malformed(
      source,
      element.line,
      element.parts.join('').trim(),
      'the JSON array ends in the middle of this element'
    )
  else if (!element.inside && !ended) yield malformed(source, line, '', 'the JSON array is not closed with "]"')
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
): AsyncGenerator<Piece> {
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
    for await (const pieces of jsonLines(lineBatchesOf(single(text), maxLine(options)), source, options))
      for (const piece of pieces)
        items.push(piece.kind === 'text' ? toItem(piece.text, source, piece.line, options) : piece)
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

/** JSON Lines by the name (`x.jsonl`, `x.ndjson.gz`), when the format is left to the reader. */
function namedJsonLines(file: string): boolean {
  const name = file.toLowerCase().replace(/\.gz$/, '')
  return ['.jsonl', '.ndjson'].includes(extname(name))
}

/** Reads text until its shape shows: the first character that is not white space, and for JSON Lines the whole first line. */
async function headOf(chunks: AsyncIterator<string>, format: InputFormat, limit: number) {
  let head = ''
  let firstChar = -1
  for (;;) {
    const next = await chunks.next()
    if (next.done) break
    head += next.value
    const match = /[^\s\ufeff]/.exec(head)
    if (!match) continue
    firstChar = match.index
    if (head.charCodeAt(firstChar) === CHAR.OPEN_BRACKET || format === 'json' || head.indexOf('\n', firstChar) !== -1)
      break
    if (head.length > limit) break
  }
  return { head, firstChar }
}

function firstLineIsEvent(head: string, firstChar: number): boolean {
  const newline = head.indexOf('\n', firstChar)
  const firstLine = (newline === -1 ? head : head.slice(0, newline)).trim()
  try {
    return isObject(JSON.parse(firstLine))
  } catch {
    return false
  }
}

/** Pieces one at a time, as batches of one (the array and single-document shapes, which are not the bulk). */
async function* batchesOfOne(pieces: AsyncIterable<Piece>): AsyncGenerator<Piece[]> {
  for await (const piece of pieces) yield [piece]
}

/** The pieces of one input's text, by its shape, in batches (JSON Lines: a chunk's lines at a time). */
async function* piecesOfText(
  chunks: AsyncIterator<string>,
  file: string,
  format: InputFormat,
  options: ReadOptions
): AsyncGenerator<Piece[]> {
  const source = file === '-' ? 'stdin' : file
  const limit = maxLine(options)
  if (format === 'jsonl' || (format === 'auto' && namedJsonLines(file))) {
    yield* jsonLines(lineBatchesOf(prepend('', chunks), limit), source, options)
    return
  }
  const { head, firstChar } = await headOf(chunks, format, limit)
  if (firstChar === -1) return // empty input
  if (head.charCodeAt(firstChar) === CHAR.OPEN_BRACKET) {
    const linesBefore = lineAt(head, firstChar)
    yield* batchesOfOne(jsonArrayElements(prepend(head.slice(firstChar + 1), chunks), source, linesBefore, options))
    return
  }
  if (format === 'auto' && (head.length > limit || firstLineIsEvent(head, firstChar))) {
    yield* jsonLines(lineBatchesOf(prepend(head, chunks), limit), source, options)
    return
  }
  yield* batchesOfOne(jsonDocument(head, prepend('', chunks), source, options))
}

/**
 * Reads one input (a path, or `-` for stdin) as a stream of batches of pieces (a chunk's lines at a time):
 * events' text not parsed yet, and malformed items. A gzip that breaks part-way ends the input with one
 * malformed item naming the byte, after the events before it; input that is not JSON text at all is an
 * InputError before anything is read. A stop takes effect at the next batch.
 */
export async function* readPieceBatches(
  file: string,
  format: InputFormat = 'auto',
  progress: ReadProgress = { bytesRead: 0 },
  options: ReadOptions = {}
): AsyncGenerator<Piece[]> {
  let line = 0
  try {
    const chunks = textOf(file, progress, options.signal)[Symbol.asyncIterator]()
    for await (const pieces of piecesOfText(chunks, file, format, options)) {
      if (options.signal?.aborted) return
      line = pieces[pieces.length - 1].line
      yield pieces
    }
  } catch (error) {
    if (!(error instanceof InputReadError)) throw error
    yield [malformed(error.source, line + 1, '', error.message)]
  }
}

/** Batches one at a time: a batch holds many lines, so a stop takes effect at the next one, not the next batch. */
async function* oneAtATime<T>(batches: AsyncIterable<T[]>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  for await (const batch of batches) {
    for (const one of batch) {
      if (signal?.aborted) return
      yield one
    }
  }
}

/** Reads one input (a path, or `-` for stdin) as a stream of pieces, one at a time. */
export function readPieces(
  file: string,
  format: InputFormat = 'auto',
  progress: ReadProgress = { bytesRead: 0 },
  options: ReadOptions = {}
): AsyncGenerator<Piece> {
  return oneAtATime(readPieceBatches(file, format, progress, options), options.signal)
}

/**
 * Reads one input (a path, or `-` for stdin) as a stream of batches of items, parsed: what `send` reads, so
 * that a backfill of millions of events pays the async iteration per batch. A stop takes effect at the next
 * batch; the caller checks its own stop between the items of one.
 */
export async function* readEventBatches(
  file: string,
  format: InputFormat = 'auto',
  progress: ReadProgress = { bytesRead: 0 },
  options: ReadOptions = {}
): AsyncGenerator<InputItem[]> {
  for await (const pieces of readPieceBatches(file, format, progress, options)) {
    const items: InputItem[] = new Array(pieces.length)
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]
      items[i] = piece.kind === 'text' ? toItem(piece.text, piece.source, piece.line, options) : piece
    }
    yield items
  }
}

/** Reads one input (a path, or `-` for stdin) as a stream of items. */
export function readEvents(
  file: string,
  format: InputFormat = 'auto',
  progress: ReadProgress = { bytesRead: 0 },
  options: ReadOptions = {}
): AsyncGenerator<InputItem> {
  return oneAtATime(readEventBatches(file, format, progress, options), options.signal)
}
