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
