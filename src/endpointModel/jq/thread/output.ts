import type { JqStreamAnswer } from '../protocol'

/** jq's two output streams as a worker reads them: stdout cut into answer lines, and the end of stderr. */

const NEWLINE = 0x0a

/**
 * jq's stdout, cut into lines (one per event: the stream program prints exactly one). A line longer than the
 * cap is not kept, only its length, so a field path that prints gigabytes cannot carry them to the main thread.
 */
export class OutputLines {
  private chunks: Uint8Array[] = []
  private length = 0
  private lines: JqStreamAnswer[] = []
  private readonly decoder = new TextDecoder()

  constructor(private readonly maxLineBytes: number) {}

  write(bytes: Uint8Array): void {
    let start = 0
    for (let end = bytes.indexOf(NEWLINE); end >= 0; end = bytes.indexOf(NEWLINE, start)) {
      this.append(bytes.subarray(start, end))
      this.lines.push(this.length > this.maxLineBytes ? { oversizedBytes: this.length } : this.joined())
      this.chunks = []
      this.length = 0
      start = end + 1
    }
    this.append(bytes.subarray(start))
  }

  /** The lines completed since the last call. */
  take(): JqStreamAnswer[] {
    const lines = this.lines
    this.lines = []
    return lines
  }

  private append(bytes: Uint8Array): void {
    this.length += bytes.length
    // The bytes are a view of jq's memory, valid only during the write: keep a copy.
    if (this.length <= this.maxLineBytes && bytes.length > 0) this.chunks.push(bytes.slice())
  }

  private joined(): string {
    if (this.chunks.length === 1) return this.decoder.decode(this.chunks[0])
    const all = new Uint8Array(this.length)
    let offset = 0
    for (const chunk of this.chunks) {
      all.set(chunk, offset)
      offset += chunk.length
    }
    return this.decoder.decode(all)
  }
}

/**
 * What jq writes to stderr in a worker: the end of it is kept (a program's start reports its compile errors
 * there, a check its verdict), and an instrumented program's marks (see ../sandbox.ts's __mi_mark, `[<k>]` each)
 * are read from it as they come, so the last one names the expression running when jq had to be stopped.
 */
export class StderrTail {
  private text = ''
  private decoder = new TextDecoder()

  constructor(private readonly onMark?: (mark: number) => void, private readonly maxChars = 16384) {}

  write(bytes: Uint8Array): void {
    this.text += this.decoder.decode(bytes, { stream: true })
    if (this.text.length > this.maxChars) this.text = this.text.slice(-this.maxChars)
    if (this.onMark) this.readMark()
  }

  clear(): void {
    this.text = ''
    this.decoder = new TextDecoder()
  }

  toString(): string {
    return this.text
  }

  /** jq writes a mark in pieces (`[`, `3`, `]`): the last complete one, once it is complete, and then no more. */
  private readMark(): void {
    const end = this.text.lastIndexOf(']')
    const start = this.text.lastIndexOf('[', end)
    if (start < 0 || end < 0) return
    const digits = this.text.slice(start + 1, end)
    if (/^\d+$/.test(digits)) this.onMark?.(Number(digits))
    this.text = this.text.slice(end + 1)
  }
}
