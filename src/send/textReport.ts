import { describeEvent } from '../events/describeEvent'
import type { MalformedItem } from '../events/items'
import type { Failure } from '../runtime/outcome'
import type { Redactor } from '../runtime/redactor'
import type { SendObserver } from './sendObserver'
import type { Unit } from './unit'

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length)
}

function ms(unit: { started: number }): string {
  const text = `${Math.round(performance.now() - unit.started)} ms`
  return ' '.repeat(Math.max(0, 8 - text.length)) + text
}

export interface TextReportOptions {
  /** One line per event, delivered or not. */
  verbose?: boolean
  /** Nothing but the notes (the summary among them). */
  quiet?: boolean
  /** The subscription's trigger, for "not subscribed" lines. */
  subscribe: string
}

/**
 * `send`'s lines for people: a line per failure (per event with verbose, none with quiet) and every note,
 * each through the redactor, handed to `write`.
 */
export class TextReport implements SendObserver {
  constructor(
    private readonly write: (line: string) => void,
    private readonly redactor: Redactor,
    private readonly options: TextReportOptions
  ) {}

  private line(text: string): void {
    this.write(this.redactor.redact(text))
  }

  note(text: string): void {
    this.line(text)
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
    const what = item.refused ? 'refused' : 'malformed input'
    if (!this.options.quiet) this.line(`  ✗ ${item.source}:${item.line}: ${what}, ${item.reason}`)
  }
}
