/**
 * A stream worker's stdin: one job's JSON text at a time, each as one line. Each read hands jq at most the rest
 * of the current line, so jq asks again only when it has printed its answer for the line before: that moment,
 * `between(done)`, is when the worker posts answers and checks that the instance may go on.
 */
export class StdinFeed {
  private readonly encoder = new TextEncoder()
  private line = new Uint8Array(0)
  private offset = 0
  private queued: string[] = []
  private next = 0
  private fed = 0

  constructor(private readonly nextJobs: () => string[], private readonly between: (fed: number) => void) {}

  read(into: Uint8Array): number {
    if (this.offset >= this.line.length) this.advance()
    const count = Math.min(into.length, this.line.length - this.offset)
    into.set(this.line.subarray(this.offset, this.offset + count))
    this.offset += count
    return count
  }

  private advance(): void {
    this.between(this.fed)
    while (this.next >= this.queued.length) {
      this.queued = this.nextJobs()
      this.next = 0
    }
    this.line = this.encoder.encode(`${this.queued[this.next++]}\n`)
    this.offset = 0
    this.fed += 1
  }
}
