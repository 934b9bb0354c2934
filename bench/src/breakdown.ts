/**
 * What our own code costs per event, without the runtime or the network: a tight in-process loop over the
 * event pool, timing what sendEvent / sendBatch do besides the request (the URL check, the event checks, the
 * one serialization) against the floor every destination pays, JSON.stringify of the event (the reference
 * has actions-core's request client do exactly that for its `json:` option).
 */
import path from 'path'
import { performance } from 'perf_hooks'
import { round } from './stats'

export interface Breakdown {
  /** JSON.stringify of the event alone: the reference's own per-event work, done for it by `json:`. */
  stringifyUs: number
  /** checkMovableInkUrl + prepareEvent (checks + the one JSON.stringify): sendEvent minus the request. */
  projectSingleUs: number
  /** prepareEvent per event, planChunks and the array join, per event: sendBatch minus the request. */
  projectBatchUs: number
  /** projectSingleUs - stringifyUs: what our checks add per event over the reference's own work. */
  checksUs: number
}

/** Runs `fn` over `items` in rounds until at least `ms` have passed; returns µs per item (best round of 5). */
function timePerItem<T>(items: T[], fn: (item: T, i: number) => unknown, ms: number): number {
  let sink = 0
  const rounds: number[] = []
  for (let r = 0; r < 5; r++) {
    let n = 0
    const t0 = performance.now()
    while (performance.now() - t0 < ms / 5) {
      for (let i = 0; i < items.length; i++) if (fn(items[i], i)) sink++
      n += items.length
    }
    rounds.push(((performance.now() - t0) * 1000) / n)
  }
  if (sink < 0) console.log(sink)
  return Math.min(...rounds)
}

export function measureBreakdown(events: Record<string, unknown>[], url: string, ms = 1000): Breakdown | { error: string } {
  const dist = path.resolve(__dirname, '..', '..', 'dist', 'destinations', 'movable-ink')
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { prepareEvent } = require(path.join(dist, 'prepareEvent'))
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { checkMovableInkUrl } = require(path.join(dist, 'movableInkUrl'))
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { planChunks } = require(path.join(dist, 'sendToMovableInk'))
    const fields = events.map((data) => ({ data }))
    // warm up all three, so that the first one timed does not pay for the JIT alone
    timePerItem(events, (e) => JSON.stringify(e).length, ms / 5)
    timePerItem(fields, (f) => (checkMovableInkUrl(url), prepareEvent(f).bytes), ms / 5)
    const stringifyUs = timePerItem(events, (e) => JSON.stringify(e).length, ms)
    const projectSingleUs = timePerItem(fields, (f) => (checkMovableInkUrl(url), prepareEvent(f).bytes), ms)
    const batches: { data: unknown }[][] = []
    for (let i = 0; i + 100 <= fields.length; i += 100) batches.push(fields.slice(i, i + 100))
    const perBatch = timePerItem(
      batches,
      (batch) => {
        checkMovableInkUrl(url)
        const ready = batch.map((f, index) => ({ index, prepared: prepareEvent(f, 2) }))
        const chunks = planChunks(ready, 100) as { bodies: string[] }[]
        return chunks.map((c) => `[${c.bodies.join(',')}]`).length
      },
      ms
    )
    return {
      stringifyUs: round(stringifyUs, 2),
      projectSingleUs: round(projectSingleUs, 2),
      projectBatchUs: round(perBatch / 100, 2),
      checksUs: round(projectSingleUs - stringifyUs, 2)
    }
  } catch (error) {
    return { error: `breakdown not measured: ${error instanceof Error ? error.message : String(error)}` }
  }
}
