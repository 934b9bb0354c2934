/**
 * Bounded concurrency: at most `limit` tasks in flight, and the reader waits for a free slot before it reads
 * on, so memory stays flat and, after a crash, at most `limit` events (or batches) were in flight.
 * (p-limit and p-queue queue without bound, or are ESM-only from the versions that can make a caller wait.)
 */
export class Slots {
  private inFlight = 0
  private waiting: (() => void)[] = []
  private idle: (() => void)[] = []

  constructor(private readonly limit: number) {}

  /** Takes a slot if one is free at once (no promise, no wait); false when the caller must `acquire`. */
  tryAcquire(): boolean {
    if (this.inFlight >= this.limit) return false
    this.inFlight++
    return true
  }

  async acquire(): Promise<void> {
    if (this.inFlight < this.limit) {
      this.inFlight++
      return
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve))
  }

  release(): void {
    const next = this.waiting.shift()
    if (next) return next()
    this.inFlight--
    if (this.inFlight === 0) this.idle.splice(0).forEach((resolve) => resolve())
  }

  async drain(): Promise<void> {
    if (this.inFlight === 0) return
    await new Promise<void>((resolve) => this.idle.push(resolve))
  }
}
