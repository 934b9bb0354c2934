import { createReadStream, statSync } from 'fs'
import { addAbortSignal, pipeline, Readable } from 'stream'
import { StringDecoder } from 'string_decoder'
import { createGunzip } from 'zlib'
import { InputError, notAFileReason } from './inputFiles'
import { isGzip, kindOf, kindOfText, notTextReason } from './inputKind'

/**
 * An input (a file, or `-` for stdin) as UTF-8 text chunks, streamed: gzip, told by its magic bytes, is
 * decompressed on the way (Node's zlib, one chunk at a time, so memory stays flat however big the archive; a
 * concatenated multi-member gzip, as `cat a.gz b.gz` makes, reads whole). What is not UTF-8 JSON text is
 * refused before its first event (InputError); a gzip that turns out corrupt or cut short part-way is an
 * InputReadError naming the byte, after the text before it.
 */

/** Progress of the reading, for a progress bar: bytes of the input read so far (compressed bytes for gzip). */
export interface ReadProgress {
  bytesRead: number
}

/**
 * The input could not be read to its end (a corrupt or truncated gzip): what was read before it stands. The
 * message says what and where in the file; the reader reports it as a malformed piece of `source`.
 */
export class InputReadError extends Error {
  readonly name = 'InputReadError'
  constructor(message: string, readonly source: string, readonly offset: number) {
    super(message)
  }
}

const CHUNK_BYTES = 256 * 1024

function openStream(file: string, signal: AbortSignal | undefined): Readable {
  if (file !== '-') {
    // A FIFO with no writer would block open() for ever, a device never ends: neither is opened.
    let why: string | undefined
    try {
      why = notAFileReason(statSync(file), file)
    } catch {
      throw new InputError(`Input file ${file} does not exist or cannot be read.`, file)
    }
    if (why) throw new InputError(why, file)
  }
  const stream = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: CHUNK_BYTES })
  // Aborting destroys the stream, so a read waiting on a silent pipe ends too.
  return signal ? addAbortSignal(signal, stream) : stream
}

/** The input's byte chunks, the first one at least a few bytes long (enough to tell gzip and UTF-16 apart). */
async function* bytesOf(stream: Readable, progress: ReadProgress): AsyncGenerator<Buffer> {
  const head: Buffer[] = []
  let headBytes = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    progress.bytesRead += chunk.length
    if (headBytes === -1) {
      yield chunk
      continue
    }
    head.push(chunk)
    headBytes += chunk.length
    if (headBytes < 4) continue
    headBytes = -1
    yield Buffer.concat(head)
  }
  if (headBytes > 0) yield Buffer.concat(head)
}

function refuseNonText(head: Buffer, complete: boolean, source: string, gzipped: boolean): void {
  const why = notTextReason(gzipped ? kindOfText(head, complete) : kindOf(head, complete), source)
  if (why) throw new InputError(gzipped ? why.replace(' is not JSON text', ' (gzip) holds no JSON text') : why, source)
}

/** What zlib's error means for the reader: where the gzip breaks, or undefined when it is not the data's fault. */
function gzipBreak(error: Error, at: number, source: string): InputReadError | undefined {
  const code = (error as NodeJS.ErrnoException).code
  if (code !== 'Z_BUF_ERROR' && code !== 'Z_DATA_ERROR') return undefined
  const what =
    code === 'Z_BUF_ERROR'
      ? `the gzip data is cut short at byte ${at} (a file still being copied, or a download cut off)`
      : `the gzip data is corrupt at byte ${at}`
  return new InputReadError(`${what}: the events before it were read, the rest of the file cannot be`, source, at)
}

/** Decompressed chunks held at most before the gunzip is paused. */
const QUEUED_CHUNKS = 4

/**
 * The gzip's decompressed chunks; a corrupt or cut-short member is an InputReadError naming the byte. Every
 * chunk decompressed before the break is yielded first (a stream's async iterator would drop those it holds).
 */
async function* gunzipped(compressed: AsyncIterable<Buffer>, source: string): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: 64 * 1024 })
  const queue: Buffer[] = []
  let failure: Error | undefined
  let ended = false
  let wake: (() => void) | undefined
  const notify = () => wake?.()
  gunzip.on('data', (chunk: Buffer) => {
    queue.push(chunk)
    if (queue.length >= QUEUED_CHUNKS) gunzip.pause()
    notify()
  })
  gunzip.on('error', (error) => ((failure = error), notify()))
  gunzip.on('end', () => ((ended = true), notify()))
  pipeline(Readable.from(compressed), gunzip, () => undefined)
  try {
    for (;;) {
      const chunk = queue.shift()
      if (chunk) {
        if (queue.length < QUEUED_CHUNKS) gunzip.resume()
        yield chunk
      } else if (failure) throw gzipBreak(failure, gunzip.bytesWritten, source) ?? failure
      else if (ended) return
      else await new Promise<void>((resolve) => (wake = resolve))
    }
  } finally {
    gunzip.destroy()
  }
}

/** Decodes UTF-8 chunks; the first is checked to be JSON text. */
async function* decoded(chunks: AsyncIterable<Buffer>, source: string, gzipped: boolean): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8')
  let first = true
  for await (const chunk of chunks) {
    if (first) refuseNonText(chunk, false, source, gzipped)
    first = false
    const text = decoder.write(chunk)
    if (text) yield text
  }
  const rest = decoder.end()
  if (rest) yield rest
}

async function* prepend(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield head
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value
}

/**
 * The input's text, chunk by chunk. Stops quietly (no error) when `signal` aborts, even while waiting for a
 * silent stdin.
 */
export async function* textOf(file: string, progress: ReadProgress, signal?: AbortSignal): AsyncGenerator<string> {
  const source = file === '-' ? 'stdin' : file
  const stream = openStream(file, signal)
  try {
    const bytes = bytesOf(stream, progress)[Symbol.asyncIterator]()
    const first = await bytes.next()
    if (first.done) return
    if (!isGzip(first.value)) {
      // A short input that is all there is: its end may not be cut in the middle of a character.
      yield* decoded(prepend(first.value, bytes), source, false)
      return
    }
    yield* decoded(gunzipped(prepend(first.value, bytes), source), source, true)
  } catch (error) {
    if (signal?.aborted && (error as Error).name === 'AbortError') return
    throw error
  } finally {
    if (file !== '-') stream.destroy()
  }
}
