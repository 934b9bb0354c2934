import { plural } from '../io/plural'
import type { Difference } from './compare'
import type { EventResult, SampleUpdate, SuiteRun } from './runSuite'
import type { Expectation } from './suiteTypes'

/** `movable-ink test`'s text: one line per event (and its differences beneath it), then the closing line. */

const WHAT: Record<string, string> = {
  expectation: 'expectation',
  event: 'event',
  line: 'line',
  segment: 'Segment',
  movableInk: 'Movable Ink',
  'movableInk.mapping': 'Movable Ink mapping',
  'movableInk.refused': 'Movable Ink refused'
}

/** The items and keys of a list or object that differ: `item 2, price: expected 18.99, actual "18.99"`. */
function partsText(d: Difference, words: [string, string]): string {
  const parts = (d.parts ?? []).map((p) => `${p.at}: ${words[0]} ${p.expected}, ${words[1]} ${p.actual}`)
  if (d.more) parts.push(`and ${plural(d.more, 'more difference')}`)
  return parts.join('; ')
}

/** A difference as a line (and its note beneath); `--update` words it as what was and what is now. */
export function differenceText(d: Difference, words: [string, string] = ['expected', 'actual']): string {
  if (d.what === 'expectation') return 'no entry in the expected file (run with --update to record one)'
  const field = /^movableInk\.fields\.(.*)$/.exec(d.what)
  const what = field ? `Movable Ink field ${field[1]}${d.path ? ` (${d.path})` : ''}` : WHAT[d.what] ?? d.what
  const note = d.note ? `\n      ${d.note}` : ''
  if (d.parts) return `${what}: ${partsText(d, words)}${note}`
  return `${what}: ${words[0]} ${d.expected}, ${words[1]} ${d.actual}${note}`
}

export function eventName(result: EventResult): string {
  return `${result.sample.path}:${result.observed.line}  ${result.observed.event}`
}

export function leftoverName(path: string, entry: Expectation, index: number): string {
  const what = [entry.line === undefined ? '' : `line ${entry.line}`, entry.event ?? ''].filter(Boolean).join(', ')
  return `${path}: entry ${index + 1} of the expected file${
    what ? ` (${what})` : ''
  } has no event in the sample (run with --update to remove it)`
}

/** Every line of the run: ✓ or ✗ per event, the differences indented beneath a failure. */
export function suiteLines(run: SuiteRun): string[] {
  const lines: string[] = []
  for (const sample of run.samples) {
    for (const result of sample.events) {
      if (result.differences.length === 0) {
        lines.push(`✓ ${eventName(result)}`)
        continue
      }
      lines.push(`✗ ${eventName(result)}`)
      for (const d of result.differences) lines.push(`    ${differenceText(d)}`)
    }
    const offset = sample.events.length
    sample.leftover.forEach((entry, i) => lines.push(`✗ ${leftoverName(sample.sample.file.path, entry, offset + i)}`))
  }
  return lines
}

export function closingLine(run: SuiteRun): string {
  return `${run.passed} passed, ${run.failed} failed`
}

/** What `--update` says it changed: per expected file, each changed event with what it was and what it is now. */
export function updateLines(updates: SampleUpdate[]): string[] {
  if (updates.length === 0) return ['Every expected file already holds what was found: nothing written.']
  const lines: string[] = []
  for (const update of updates) {
    const events = update.changed.length
    lines.push(
      `${update.kind === 'created' ? 'Wrote' : 'Updated'} ${update.expectedPath}: ${events} event${
        events === 1 ? '' : 's'
      }${
        update.removed.length
          ? `, ${update.removed.length} entr${update.removed.length === 1 ? 'y' : 'ies'} removed`
          : ''
      }`
    )
    if (update.kind === 'created') continue
    for (const result of update.changed) {
      lines.push(`  ${result.observed.line}  ${result.observed.event}`)
      for (const d of result.differences)
        lines.push(`    ${d.what === 'expectation' ? 'new entry' : differenceText(d, ['was', 'now'])}`)
    }
  }
  return lines
}
