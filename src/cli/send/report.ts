import { MultiBar, Presets } from 'cli-progress'
import type { MalformedItem } from '../readEvents'
import { describeEvent } from '../runtime'
import type { Redactor } from '../settings'
import type { Failure } from './retryPolicy'
import type { SendSummary } from './summary'
import type { Unit } from './unit'

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length)
}

function ms(unit: { started: number }): string {
  const text = `${Math.round(performance.now() - unit.started)} ms`
  return ' '.repeat(Math.max(0, 8 - text.length)) + text
}

export interface ReportOptions {
  verbose?: boolean
  quiet?: boolean
  /** The subscription's trigger, for "not subscribed" lines. */
  subscribe: string
}

/**
 * What `send` prints while it runs: a line per failure (per event with --verbose, none with --quiet), and on
 * a terminal a progress bar over the bytes read. Everything goes through the redactor.
 */
export class Reporter {
  private bars?: MultiBar
  private ticker?: NodeJS.Timeout

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly redactor: Redactor,
    private readonly options: ReportOptions
  ) {}

  /** A line outside the bar (usage notes, the summary). */
  print(text: string): void {
    this.out.write(this.redactor.redact(text) + '\n')
  }

  /** A line while the bar may be showing. */
  line(text: string): void {
    if (this.bars) this.bars.log(this.redactor.redact(text) + '\n')
    else this.print(text)
  }

  /** The progress bar: only on a terminal, and not when every event prints its own line. */
  startBar(totalBytes: number, bytesRead: () => number, summary: SendSummary): void {
    const showBar =
      Boolean((process.stderr as NodeJS.WriteStream).isTTY) && !this.options.quiet && !this.options.verbose
    if (!showBar) return
    const format = ' {bar} {percentage}% | {sent} sent, {failed} failed, {retries} retries | {rate} events/s'
    const bars = new MultiBar(
      { format, hideCursor: true, clearOnComplete: true, stream: process.stderr },
      Presets.shades_classic
    )
    const bar = bars.create(Math.max(1, totalBytes), 0, { sent: 0, failed: 0, retries: 0, rate: 0 })
    const started = performance.now()
    this.ticker = setInterval(() => {
      const seconds = (performance.now() - started) / 1000
      bar.update(Math.min(totalBytes, bytesRead()), {
        sent: summary.sent,
        failed: summary.failed,
        retries: summary.retries,
        rate: Math.round(summary.sent / Math.max(seconds, 0.001))
      })
    }, 200)
    this.bars = bars
  }

  stopBar(): void {
    if (this.ticker) clearInterval(this.ticker)
    this.bars?.stop()
    this.bars = undefined
  }

  delivered(unit: Unit, status: number): void {
    if (!this.options.verbose) return
    const after = unit.attempts > 1 ? `  after ${unit.attempts} attempts` : ''
    this.line(`  ✓ ${pad(describeEvent(unit.event), 32)} ${status}  ${ms(unit)}${after}`)
  }

  notSubscribed(unit: Unit): void {
    if (!this.options.verbose) return
    this.line(`  - ${pad(describeEvent(unit.event), 32)} not subscribed (${this.options.subscribe}): not sent`)
  }

  failed(unit: Unit, failure: Pick<Failure, 'status' | 'message'>): void {
    if (this.options.quiet) return
    const where = `${unit.source}:${unit.line}`
    this.line(
      `  ✗ ${pad(describeEvent(unit.event), 32)} ${failure.status ?? '---'}  ${ms(unit)}  ${where}: ${failure.message}`
    )
  }

  malformed(item: MalformedItem): void {
    if (!this.options.quiet) this.line(`  ✗ ${item.source}:${item.line}: malformed input, ${item.reason}`)
  }
}
