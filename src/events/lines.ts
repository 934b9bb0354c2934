/**
 * Cutting text into lines, numbered from 1, in bounded memory: a line longer than the limit is not kept. It is
 * reported once, as soon as it passes the limit (an input with no newline, like a device or a binary stream,
 * is reported at once rather than read into memory), and the rest of it is skipped up to its newline.
 */

/**
 * The longest line read as an event: 16 MB (in characters, as many as bytes for ASCII). Segment's own limit
 * for one event is 32 KB; a line this long is a broken export, and holding a few of them stays within memory.
 */
export const MAX_LINE_CHARS = 16 * 1024 * 1024

export type Line = { line: number; text: string; tooLong?: false } | { line: number; text: ''; tooLong: true }

/** What to say of a line over the limit. */
export function tooLongReason(maxLineChars: number): string {
  const limit = maxLineChars % (1024 * 1024) === 0 ? `${maxLineChars / 1024 / 1024} MB` : `${maxLineChars} characters`
  return `a line longer than ${limit}, the most one event may take: skipped up to its end (if the input has no newlines, it is not JSON Lines text)`
}

/**
 * Splits text chunks into lines, a chunk's lines at a time (one array per chunk that ends a line or passes the
 * limit): a reader of millions of lines pays the async iteration per chunk, not per line. A final line without
 * a newline comes last.
 */
export async function* lineBatchesOf(
  chunks: AsyncIterable<string>,
  maxLineChars = MAX_LINE_CHARS
): AsyncGenerator<Line[]> {
  let parts: string[] = []
  let partsLength = 0
  let skipping = false
  let line = 0
  for await (const chunk of chunks) {
    const batch: Line[] = []
    let start = 0
    // Only the new chunk is searched: a long line costs one pass over it, not one per chunk.
    for (let newline = chunk.indexOf('\n'); newline !== -1; newline = chunk.indexOf('\n', start)) {
      if (!skipping && partsLength + newline - start > maxLineChars)
        batch.push({ line: line + 1, text: '', tooLong: true })
      else if (!skipping)
        batch.push({
          line: line + 1,
          text: parts.length ? parts.join('') + chunk.slice(start, newline) : chunk.slice(start, newline)
        })
      line++
      parts = []
      partsLength = 0
      skipping = false
      start = newline + 1
    }
    if (!skipping && start < chunk.length) {
      partsLength += chunk.length - start
      parts.push(chunk.slice(start))
      if (partsLength > maxLineChars) {
        batch.push({ line: line + 1, text: '', tooLong: true })
        parts = []
        skipping = true
      }
    }
    if (batch.length > 0) yield batch
  }
  if (!skipping && partsLength > 0) yield [{ line: line + 1, text: parts.join('') }]
}

/** Splits text chunks into lines, one at a time; a final line without a newline is yielded too. */
export async function* linesOf(chunks: AsyncIterable<string>, maxLineChars = MAX_LINE_CHARS): AsyncGenerator<Line> {
  for await (const batch of lineBatchesOf(chunks, maxLineChars)) yield* batch
}
