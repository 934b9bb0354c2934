import { mkdirSync } from 'fs'
import { open } from 'fs/promises'
import type { FileHandle } from 'fs/promises'
import { dirname } from 'path'

/** Appends lines to a file and makes them durable; concurrent appends share one write and one fdatasync. */
export class DurableAppender {
  private queue: { text: string; done: (error?: Error) => void }[] = []
  private flushing = false

  private constructor(private readonly handle: FileHandle) {}

  static async open(path: string): Promise<DurableAppender> {
    mkdirSync(dirname(path), { recursive: true })
    return new DurableAppender(await open(path, 'a'))
  }

  append(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ text, done: (error) => (error ? reject(error) : resolve()) })
      if (!this.flushing) void this.flush()
    })
  }

  private async flush(): Promise<void> {
    this.flushing = true
    while (this.queue.length > 0) {
      const batch = this.queue
      this.queue = []
      try {
        await this.handle.write(batch.map((entry) => entry.text).join(''))
        await this.handle.datasync()
        batch.forEach((entry) => entry.done())
      } catch (error) {
        batch.forEach((entry) => entry.done(error as Error))
      }
    }
    this.flushing = false
  }

  async close(): Promise<void> {
    while (this.flushing || this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 5))
    await this.handle.close()
  }
}
