import { SingleBar, Presets } from 'cli-progress'
import type { CoverageProgress } from '../suite'

/** `test --coverage`'s progress bar over the bytes read, on a terminal only, with the events evaluated per second. */
export class CoverageBar {
  private bar?: SingleBar
  private ticker?: NodeJS.Timeout

  constructor(private readonly stream: NodeJS.WritableStream) {}

  start(progress: CoverageProgress): void {
    const format = ' {bar} {percentage}% | {read} events read, {evaluated} evaluated | {rate} events/s'
    const bar = new SingleBar(
      { format, hideCursor: true, clearOnComplete: true, stream: this.stream },
      Presets.shades_classic
    )
    bar.start(1, 0, { read: 0, evaluated: 0, rate: 0 })
    const started = performance.now()
    this.ticker = setInterval(() => {
      const seconds = (performance.now() - started) / 1000
      const total = Math.max(1, progress.totalBytes ?? progress.bytesRead)
      bar.setTotal(total)
      bar.update(Math.min(total, progress.bytesRead), {
        read: progress.read,
        evaluated: progress.evaluated,
        rate: Math.round(progress.evaluated / Math.max(seconds, 0.001))
      })
    }, 200)
    this.bar = bar
  }

  stop(): void {
    if (this.ticker) clearInterval(this.ticker)
    this.bar?.stop()
    this.bar = undefined
  }
}
