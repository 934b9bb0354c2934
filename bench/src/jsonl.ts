/**
 * The JSON Lines file that `movable-ink send` reads: streamed to disk (never held in memory), reused when a
 * file of the same count and generator is already there, deleted after the run unless asked to keep it.
 */
import { createWriteStream, existsSync, readFileSync, statSync, statfsSync, unlinkSync, writeFileSync } from 'fs'
import { once } from 'events'
import path from 'path'
import { eventLines } from './events'

/** Bump when events.ts changes what it generates, so that an old file is not reused. */
export const GENERATOR_VERSION = 1

export interface JsonlFile {
  path: string
  count: number
  bytes: number
  reused: boolean
}

function metaPath(file: string): string {
  return file + '.meta.json'
}

export function jsonlPath(dir: string, count: number): string {
  return path.join(dir, `events-${count}.jsonl`)
}

/** The free bytes on the filesystem that holds `dir`. */
export function freeBytes(dir: string): number {
  const s = statfsSync(dir)
  return Number(s.bavail) * Number(s.bsize)
}

interface JsonlMeta {
  count: number
  bytes: number
  version: number
}

/** The file already there, if its meta says it holds `count` events of this generator and its size agrees. */
function reusableJsonl(file: string, count: number): JsonlFile | undefined {
  if (!existsSync(file) || !existsSync(metaPath(file))) return undefined
  try {
    const meta = JSON.parse(readFileSync(metaPath(file), 'utf8')) as JsonlMeta
    if (meta.count === count && meta.version === GENERATOR_VERSION && statSync(file).size === meta.bytes)
      return { path: file, count, bytes: meta.bytes, reused: true }
  } catch {
    // write it again
  }
  return undefined
}

/** Streams `count` events to `file` in writes of about 1 MB; returns the bytes written. */
async function writeEventLines(file: string, count: number): Promise<number> {
  const out = createWriteStream(file)
  let bytes = 0
  let chunk: string[] = []
  let chunkLength = 0
  for (const line of eventLines(count)) {
    chunk.push(line)
    chunkLength += line.length
    if (chunkLength >= 1 << 20) {
      const text = chunk.join('')
      bytes += Buffer.byteLength(text)
      if (!out.write(text)) await once(out, 'drain')
      chunk = []
      chunkLength = 0
    }
  }
  const rest = chunk.join('')
  bytes += Buffer.byteLength(rest)
  out.end(rest)
  await once(out, 'finish')
  return bytes
}

export async function ensureJsonl(dir: string, count: number): Promise<JsonlFile> {
  const file = jsonlPath(dir, count)
  const reusable = reusableJsonl(file, count)
  if (reusable) return reusable
  const bytes = await writeEventLines(file, count)
  const meta: JsonlMeta = { count, bytes, version: GENERATOR_VERSION }
  writeFileSync(metaPath(file), JSON.stringify(meta) + '\n')
  return { path: file, count, bytes, reused: false }
}

export function removeJsonl(file: string): void {
  for (const f of [file, metaPath(file)]) {
    try {
      unlinkSync(f)
    } catch {
      // already gone
    }
  }
}
