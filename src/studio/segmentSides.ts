import { createPreviewer } from '../preview/previewer'
import type { Previewer } from '../preview/previewer'
import type { SubscriptionSpec } from '../runtime/subscriptions'
import type { StudioEvent } from './studioEvents'

/**
 * Each event's Segment side (the mapped payload and the request), computed once and kept on the event: an edit
 * to the event mappings cannot change it, since it depends only on the event and the subscriptions.
 */
export class SegmentSides {
  private previewer?: Promise<Previewer>
  /** The previewer's capture server takes one event at a time. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly subscriptions: SubscriptionSpec[]) {}

  /** The Segment side of every event that has none yet, in one previewer call at a time. */
  ensure(events: StudioEvent[]): Promise<void> {
    const run = this.queue.then(async () => {
      const missing = events.filter((e) => !e.side)
      if (missing.length === 0) return
      if (!this.previewer)
        // No settings: the page shows the request with a placeholder URL, never the configured one.
        this.previewer = createPreviewer({ settings: {}, subscriptions: this.subscriptions })
      const sides = await (await this.previewer).segmentSides(missing.map((e) => e.item))
      missing.forEach((e, i) => (e.side = sides[i]))
    })
    this.queue = run.catch(() => undefined)
    return run
  }

  async close(): Promise<void> {
    if (this.previewer) await (await this.previewer).close()
  }
}
