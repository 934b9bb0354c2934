/**
 * A stream worker's stdin: one job's JSON text at a time, each as one line. Each read hands jq at most the rest
 * of the current line, so jq asks again only when it has printed its answer for the line before: that moment is
 * `between(done, more, together)` (`done` jobs answered, `more` of them already here, in hand or waiting on
 * the port; `together`: how many jobs were posted in one message with the one just answered), when the worker may post answers and checks that the instance may go on;
 * `started(count)` follows when the next job is handed over.
 */
export interface FeedHooks {
  between(done: number, more: boolean, together: number): void
  started(count: number): void
}

export interface JobSource {
  /** Jobs already waiting, if any. */
  poll(): string[] | undefined
  /** The next jobs, waiting for them. */
  next(): string[]
}

export class StdinFeed {
  private readonly encoder = new TextEncoder()
  private line = new Uint8Array(0)
  private offset = 0
  private queued: string[] = []
  private next = 0
  private fed = 0

  constructor(private readonly jobs: JobSource, private readonly hooks: FeedHooks) {}

  read(into: Uint8Array): number {
    if (this.offset >= this.line.length) this.advance()
    const count = Math.min(into.length, this.line.length - this.offset)
    into.set(this.line.subarray(this.offset, this.offset + count))
    this.offset += count
    return count
  }

  private advance(): void {
    const together = this.queued.length
    if (this.next >= this.queued.length) this.take(this.jobs.poll())
    this.hooks.between(this.fed, this.next < this.queued.length, together)
    while (this.next >= this.queued.length) this.take(this.jobs.next())
    this.line = this.encoder.encode(`${this.queued[this.next++]}\n`)
    this.offset = 0
    this.fed += 1
    this.hooks.started(this.fed)
  }

  private take(jobs: string[] | undefined): void {
    if (!jobs) return
    this.queued = jobs
    this.next = 0
  }
}
