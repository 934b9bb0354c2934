/**
 * What our own code costs per event, without the runtime or the network: a tight in-process loop over the
 * event pool, timing what sendEvent / sendBatch do besides the request (the URL check, the event checks, the
 * one serialization) against the floor every destination pays, JSON.stringify of the event (the reference
 * has actions-core's request client do exactly that for its `json:` option).
 */
import { performance } from 'perf_hooks'
import { Destination } from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import { checkMovableInkUrl } from '../../src/destinations/movable-ink/movableInkUrl'
import { prepareEvent } from '../../src/destinations/movable-ink/prepareEvent'
import { chunkBody, planChunks } from '../../src/destinations/movable-ink/sendToMovableInk'
import type { EndpointModelCost } from './endpointCost'
import { presetSettings } from './runtimeSettings'
import { round } from './stats'

export interface Breakdown {
  /** JSON.stringify of the event alone: the reference's own per-event work, done for it by `json:`. */
  stringifyUs: number
  /** checkMovableInkUrl + prepareEvent (checks + the one JSON.stringify): sendEvent minus the request. */
  projectSingleUs: number
  /** prepareEvent per event, planChunks and the envelope, per event: sendBatch minus the request. */
  projectBatchUs: number
  /** projectSingleUs - stringifyUs: what our checks add per event over the reference's own work. */
  checksUs: number
  /**
   * actions-core's Destination.onEvent for the reference definition with a perform that sends nothing:
   * the runtime's dispatch per event (settings, FQL subscription, mapping, schema validation, promise chain)
   * without the request client or the network.
   */
  runtimeDispatchUs?: number
  /** Movable Ink's side (jq over the event mappings), off the delivery path: bench/src/endpointCost.ts. */
  endpointModel?: EndpointModelCost
}

/** Awaits `fn` over `items` one at a time until `ms` have passed; returns µs per item. */
async function timePerItemAsync<T>(items: T[], fn: (item: T) => Promise<unknown>, ms: number): Promise<number> {
  let n = 0
  const t0 = performance.now()
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < items.length && i < 500; i++) await fn(items[i])
    n += Math.min(items.length, 500)
  }
  return ((performance.now() - t0) * 1000) / n
}

/** The runtime's per-event dispatch, without a request: see Breakdown.runtimeDispatchUs. */
export async function measureRuntimeDispatch(
  events: Record<string, unknown>[],
  ms = 1000
): Promise<number | undefined> {
  try {
    const reference = (await import('@segment/action-destinations/dist/destinations/movable-ink')).default
    const action = reference.actions.sendEntireEvent
    const definition = { ...reference, actions: { sendEntireEvent: { ...action, perform: () => undefined } } }
    const destination = new Destination(definition)
    const settings = presetSettings('http://127.0.0.1:1/events', { username: 'u', password: 'p' })
    const run = (event: Record<string, unknown>) => destination.onEvent(event as unknown as SegmentEvent, settings)
    await timePerItemAsync(events, run, ms / 4)
    return round(await timePerItemAsync(events, run, ms), 2)
  } catch {
    return undefined
  }
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

export function measureBreakdown(
  events: Record<string, unknown>[],
  url: string,
  ms = 1000
): Breakdown | { error: string } {
  try {
    const fields = events.map((data) => ({ data }))
    // warm up all three, so that the first one timed does not pay for the JIT alone
    timePerItem(events, (e) => JSON.stringify(e).length, ms / 5)
    timePerItem(fields, (f) => (checkMovableInkUrl(url), prepareEvent(f).bytes), ms / 5)
    const stringifyUs = timePerItem(events, (e) => JSON.stringify(e).length, ms)
    const projectSingleUs = timePerItem(fields, (f) => (checkMovableInkUrl(url), prepareEvent(f).bytes), ms)
    const batches: { data: Record<string, unknown> }[][] = []
    for (let i = 0; i + 100 <= fields.length; i += 100) batches.push(fields.slice(i, i + 100))
    const perBatch = timePerItem(
      batches,
      (batch) => {
        checkMovableInkUrl(url)
        const ready = batch.map((f, index) => ({ index, prepared: prepareEvent(f) }))
        return planChunks(ready, 100).map(chunkBody).length
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
