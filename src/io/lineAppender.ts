import { closeSync, fdatasync, fsyncSync, mkdirSync, openSync, writeSync } from 'fs'
import { dirname } from 'path'

/**
 * Appends lines to a file in groups: the lines that come in during one turn of the event loop are written by
 * one synchronous `write` (to the page cache it takes microseconds, where a write through libuv's thread pool
 * costs some 30 µs of CPU per group, measured), then their promises settle. A durable appender also makes
 * each group durable (one fdatasync per group, off the main thread) before it settles: what a server answers
 * 200 for must survive a crash. One failed write fails the appender for good, and says why (`failure`).
 */
export class LineAppender {
  private lines: string[] = []
  private waiting: { resolve: () => void; reject: (error: Error) => void }[] = []
  private scheduled = false
  private syncing = 0
  private error?: Error
  private closed = false

  private constructor(readonly path: string, private readonly fd: number, private readonly durable: boolean) {}

  /**
   * Opens `path` for appending (`a`); `wx` refuses a file that exists, `w` truncates it. Its folder must exist,
   * unless `createFolder` (a folder of the tool's own, like `.movable-ink/`).
   */
  static open(
    path: string,
    options: { flags?: 'a' | 'w' | 'wx'; durable?: boolean; createFolder?: boolean } = {}
  ): LineAppender {
    if (options.createFolder) mkdirSync(dirname(path), { recursive: true })
    return new LineAppender(path, openSync(path, options.flags ?? 'a'), options.durable ?? false)
  }

  /** Why the file cannot be written, once it cannot. */
  get failure(): Error | undefined {
    return this.error
  }

  /** Writes at once, outside the groups (a header line before anything else). */
  writeNow(text: string): void {
    writeSync(this.fd, text)
  }

  /** Appends text; settles once it is in the operating system's hands (durable: on disk). */
  append(text: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.path} is closed`))
    if (this.error) return Promise.reject(this.error)
    this.lines.push(text)
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject })
      if (this.scheduled) return
      this.scheduled = true
      setImmediate(() => this.flush())
    })
  }

  private flush(): void {
    this.scheduled = false
    const [text, waiting] = [this.lines.join(''), this.waiting]
    this.lines = []
    this.waiting = []
    try {
      if (!this.error) writeSync(this.fd, text)
    } catch (error) {
      this.error = error as Error
    }
    if (this.error || !this.durable) return this.settle(waiting)
    this.syncing++
    fdatasync(this.fd, (error) => {
      this.syncing--
      if (error && error.code !== 'EINVAL' && !this.error) this.error = error
      this.settle(waiting)
    })
  }

  private settle(waiting: { resolve: () => void; reject: (error: Error) => void }[]): void {
    for (const waiter of waiting) this.error ? waiter.reject(this.error) : waiter.resolve()
  }

  /**
   * Writes what is pending, makes the whole file durable (fsync) and closes it; later appends are refused. A
   * file that cannot be synced (a pipe, a terminal, a device: EINVAL) has nothing to make durable.
   */
  async close(): Promise<void> {
    if (this.closed) return
    if (this.lines.length > 0) this.flush()
    while (this.syncing > 0 || this.scheduled) await new Promise((resolve) => setImmediate(resolve))
    this.closed = true
    try {
      if (!this.error) fsyncSync(this.fd)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error
    } finally {
      closeSync(this.fd)
    }
  }
}
