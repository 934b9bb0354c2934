import { MultiBar, Presets } from 'cli-progress'
import type { SendObserver, SendProgress } from '../send/sendObserver'

/**
 * send's progress bar over the bytes read, on a terminal only: an observer that passes everything to the
 * text report and keeps its lines above the bar.
 */
export class ProgressBar {
  private bars?: MultiBar
  private ticker?: NodeJS.Timeout

  constructor(private readonly stream: NodeJS.WritableStream) {}

  /** Lines while the bar shows go through it, so they are not drawn over. */
  write(line: string, fallback: (line: string) => void): void {
    if (this.bars) this.bars.log(line + '\n')
    else fallback(line)
  }

  start(progress: SendProgress): void {
    const format = ' {bar} {percentage}% | {sent} sent, {failed} failed, {retries} retries | {rate} events/s'
    const bars = new MultiBar(
      { format, hideCursor: true, clearOnComplete: true, stream: this.stream },
      Presets.shades_classic
    )
    const { totalBytes, summary } = progress
    const bar = bars.create(Math.max(1, totalBytes), 0, { sent: 0, failed: 0, retries: 0, rate: 0 })
    const started = performance.now()
    this.ticker = setInterval(() => {
      const seconds = (performance.now() - started) / 1000
      const { sent, failed, retries } = summary
      bar.update(Math.min(totalBytes, progress.bytesRead()), {
        sent,
        failed,
        retries,
        rate: Math.round(sent / Math.max(seconds, 0.001))
      })
    }, 200)
    this.bars = bars
  }

  stop(): void {
    if (this.ticker) clearInterval(this.ticker)
    this.bars?.stop()
    this.bars = undefined
  }

  /** The observer with the bar: started() starts it; everything else goes to `inner`. */
  around(inner: SendObserver): SendObserver {
    return {
      started: (progress) => this.start(progress),
      note: (text) => inner.note(text),
      delivered: (unit, status) => inner.delivered(unit, status),
      notSubscribed: (unit) => inner.notSubscribed(unit),
      failed: (unit, failure) => inner.failed(unit, failure),
      malformed: (item) => inner.malformed(item)
    }
  }
}
