import { closeSync, openSync, readSync } from 'fs'
import { constants, gunzipSync } from 'zlib'

/**
 * What an input holds, told from its first bytes, never from its name: Segment's S3 archive names its files
 * `<something>.gz`, a customer renames them, and a `.jsonl` may be gzipped. Events are UTF-8 JSON text; gzip is
 * read through (streamed, inputText.ts); UTF-16 and other binary are named and refused, never decoded into
 * U+FFFD "events".
 */

export type InputKind =
  | { kind: 'text' }
  | { kind: 'empty' }
  | { kind: 'gzip' }
  | { kind: 'utf16'; endian: 'little' | 'big'; bom: boolean }
  | { kind: 'binary'; why: string }

/** How many bytes of an input are looked at to tell what it is. */
export const SNIFF_BYTES = 64 * 1024

const GZIP_MAGIC = [0x1f, 0x8b]

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]
}

/** UTF-16 by its byte order mark, or by the NUL of every other byte that ASCII text has in it. */
function utf16Of(head: Uint8Array): InputKind | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return { kind: 'utf16', endian: 'little', bom: true }
  if (head[0] === 0xfe && head[1] === 0xff) return { kind: 'utf16', endian: 'big', bom: true }
  const pairs = Math.min(64, head.length >> 1)
  if (pairs < 2) return undefined
  let evenNul = 0
  let oddNul = 0
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) evenNul++
    if (head[i + 1] === 0) oddNul++
  }
  if (oddNul === pairs && evenNul === 0) return { kind: 'utf16', endian: 'little', bom: false }
  if (evenNul === pairs && oddNul === 0) return { kind: 'utf16', endian: 'big', bom: false }
  return undefined
}

/** Where the first byte is that UTF-8 JSON text cannot hold (a NUL, or a byte sequence that is not UTF-8). */
function binaryOf(head: Uint8Array, complete: boolean): InputKind | undefined {
  const nul = head.indexOf(0)
  if (nul !== -1) return { kind: 'binary', why: `a NUL byte at byte ${nul}` }
  try {
    // `stream` lets the sample end in the middle of a character when more of the input follows.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete })
  } catch {
    return { kind: 'binary', why: 'bytes that are not UTF-8 text' }
  }
  return undefined
}

/** What the first bytes of an input (after gunzip, if it was gzip) say it is; `complete` when they are all of it. */
export function kindOfText(head: Uint8Array, complete: boolean): InputKind {
  if (head.length === 0) return { kind: 'empty' }
  return utf16Of(head) ?? binaryOf(head, complete) ?? { kind: 'text' }
}

export function kindOf(head: Uint8Array, complete: boolean): InputKind {
  return isGzip(head) ? { kind: 'gzip' } : kindOfText(head, complete)
}

/** The first bytes a gzip head decompresses to (as much as those bytes hold; a truncated member is no error here). */
export function gunzipHead(head: Uint8Array): Buffer {
  try {
    return gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: SNIFF_BYTES * 16 })
  } catch {
    return Buffer.alloc(0)
  }
}

/** Reads up to SNIFF_BYTES of a regular file: the bytes, and whether they are the whole file. */
export function headOf(path: string): { head: Buffer; complete: boolean } {
  const buffer = Buffer.alloc(SNIFF_BYTES)
  const fd = openSync(path, 'r')
  try {
    const length = readSync(fd, buffer, 0, SNIFF_BYTES, 0)
    return { head: buffer.subarray(0, length), complete: length < SNIFF_BYTES }
  } finally {
    closeSync(fd)
  }
}

/**
 * What a regular file holds, and the first character of its text: for a gzip file, of what its first bytes
 * decompress to (a gzip of a picture is not events either; the kind stays `gzip` when that is text).
 */
export function firstCharOfFile(path: string): { kind: InputKind; first?: string } {
  const { head, complete } = headOf(path)
  let kind = kindOf(head, complete)
  let text = head
  if (kind.kind === 'gzip') {
    text = gunzipHead(head)
    const inner = kindOfText(text, false)
    if (inner.kind !== 'text' && inner.kind !== 'empty') kind = inner
  }
  if (kind.kind !== 'text' && kind.kind !== 'gzip') return { kind }
  const match = /[^\s\ufeff]/.exec(text.toString('utf8'))
  return match ? { kind, first: match[0] } : { kind }
}

/** Why an input of this kind is not read as events, naming the input and the fix; undefined when it is read. */
export function notTextReason(kind: InputKind, name: string): string | undefined {
  if (kind.kind === 'utf16')
    return `${name} is not JSON text in UTF-8: it is UTF-16 (${kind.endian}-endian${
      kind.bom ? ', with a byte order mark' : ''
    }). Convert it first, for example: iconv -f UTF-16 -t UTF-8 ${name} > events.jsonl`
  if (kind.kind === 'binary')
    return `${name} is not JSON text (${kind.why}): events are JSON or JSON Lines in UTF-8, or the same gzipped.`
  return undefined
}
