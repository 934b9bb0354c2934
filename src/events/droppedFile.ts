import { gunzipSync } from 'zlib'
import { InputError } from './inputFiles'
import { isGzip, kindOf, kindOfText, notTextReason } from './inputKind'
import { sizeText } from '../io/sizeText'

/**
 * A file dropped on the studio's page, as the bytes the browser read (it cannot tell gzip, UTF-16 or binary
 * from text, and would decode them into U+FFFD): its text, gzip decompressed here with the same zlib as every
 * command, or an InputError naming the file and what it holds. At most `maxBytes` of text: a drop is small.
 */
export function textOfDroppedFile(bytes: Buffer, name: string, maxBytes: number): string {
  let text = bytes
  if (isGzip(bytes)) {
    try {
      text = gunzipSync(bytes, { maxOutputLength: maxBytes + 1 })
    } catch (error) {
      throw new InputError(droppedGzipError(error as NodeJS.ErrnoException, name, maxBytes), name)
    }
  }
  const why = notTextReason(isGzip(bytes) ? kindOfText(text, true) : kindOf(text, true), name)
  if (why) throw new InputError(why, name)
  return text.toString('utf8')
}

function droppedGzipError(error: NodeJS.ErrnoException, name: string, maxBytes: number): string {
  const preview = `movable-ink preview ${name}`
  if (error.code === 'ERR_BUFFER_TOO_LARGE')
    return `${name} decompresses to more than ${sizeText(
      maxBytes
    )}, the most the studio takes at once: check it with ${preview}, or start the studio with the file (movable-ink studio ${name}).`
  if (error.code === 'Z_BUF_ERROR')
    return `${name}: the gzip data is cut short (a file still being copied, or a download cut off). ${preview} reads the events before the cut.`
  return `${name}: the gzip data is corrupt (${error.message}). ${preview} reads the events before the damage.`
}
