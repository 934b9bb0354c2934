import type { PreviewItem, PreviewSummary } from './previewTypes'
import { plural } from '../io/plural'

/** preview's closing lines, counted as items come so a long input is summarized without keeping every item. */

/** How many unmapped events the summary line names; the rest are counted. */
const NAMED_UNMAPPED = 5

export function hasErrors(item: PreviewItem): boolean {
  return Boolean(item.malformed) || item.results.some((r) => r.errors.length > 0)
}

export class PreviewTally {
  private events = 0
  private withErrors = 0
  private sent = 0
  private mapped = 0
  private unmapped = 0
  private decided = 0
  private evaluated = false
  private readonly sources = new Set<string>()
  private readonly firstUnmapped: PreviewSummary['firstUnmapped'] = []

  add(item: PreviewItem): void {
    this.events++
    this.sources.add(item.source)
    // An event the destination refuses is not sent, whatever Movable Ink's model would make of it.
    if (hasErrors(item)) return void this.withErrors++
    const evaluations = item.results.flatMap((r) => (r.movableInk ? [r.movableInk] : []))
    if (evaluations.length === 0) return
    this.evaluated = true
    this.sent++
    if (evaluations.some((e) => e.mapping)) {
      this.mapped++
      return
    }
    if (evaluations.some((e) => e.notForMovableInk)) return void this.decided++
    this.unmapped++
    if (this.firstUnmapped.length < NAMED_UNMAPPED)
      this.firstUnmapped.push({ event: item.event ?? 'event', source: item.source, line: item.line })
  }

  private movableInkLine(): string {
    const where = (u: { source: string; line: number }) =>
      this.sources.size > 1 ? `${u.source}:${u.line}` : `line ${u.line}`
    const named = this.firstUnmapped.map((u) => `${u.event} (${where(u)})`)
    if (this.unmapped > named.length) named.push(`and ${this.unmapped - named.length} more`)
    const notSent = this.events - this.sent
    return (
      `${this.mapped} of ${plural(this.sent, 'event')} that would be sent ${
        this.mapped === 1 ? 'matches' : 'match'
      } a Movable Ink event mapping` +
      (this.decided > 0 ? `; ${this.decided} not for Movable Ink (on purpose)` : '') +
      (named.length > 0 ? `; unmapped: ${named.join(', ')}` : '') +
      (notSent > 0 ? `; ${notSent} not sent (no subscription, malformed or refused)` : '') +
      '.'
    )
  }

  summary(): PreviewSummary {
    const { events, withErrors, mapped, unmapped, decided, firstUnmapped } = this
    const lines = [
      `${plural(events, 'event')} previewed, ${withErrors} with errors (would be refused). Nothing was sent.`
    ]
    if (this.evaluated || events === 0) lines.push(this.movableInkLine())
    return { events, withErrors, mapped, unmapped, notForMovableInk: decided, firstUnmapped, line: lines.join('\n') }
  }
}

export function summarizePreview(items: PreviewItem[]): PreviewSummary {
  const tally = new PreviewTally()
  items.forEach((item) => tally.add(item))
  return tally.summary()
}
