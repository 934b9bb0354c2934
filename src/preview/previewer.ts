import { checkMovableInkUrl, movableInkUrlWarning } from '../destinations/movable-ink/movableInkUrl'
import type { Settings } from '../destinations/movable-ink/generated-types'
import { evaluateEvents } from '../endpointModel'
import type { CompiledEndpoint } from '../endpointModel'
import { describeEvent } from '../events/describeEvent'
import { engageMembership } from '../events/engage'
import type { InputItem } from '../events/items'
import { unsafeIntegerWarning } from '../events/largeIntegers'
import { SettingsError } from '../runtime/settings'
import type { GivenSettings } from '../runtime/settings'
import type { SubscriptionSpec } from '../runtime/subscriptions'
import { startCaptureServer } from './captureServer'
import type { PreviewItem, PreviewResult } from './previewTypes'
import { SubscriptionPreview } from './segmentSide'
import { mappingWarnings } from './mappingWarnings'
import { addWarnings } from './warningCodes'
import type { ShownAddress } from './segmentSide'

/**
 * `preview` as an in-process service, the offline "Test Mapping": one capture server and one runner per
 * subscription for many events (segmentSide.ts), and Movable Ink's side of them through the endpoint model.
 */

export interface PreviewerOptions {
  /** Shown in the request (the secret redacted); none is needed. */
  settings: GivenSettings
  subscriptions: SubscriptionSpec[]
  /** Movable Ink's side; without it, results have no `movableInk`. */
  endpoint?: CompiledEndpoint
  now?: number
  /**
   * Runs the Segment side through the runtime's batch path, this many events (1 to 1,000) per `onBatch`, for
   * runs over many events that show no request (`test --coverage`): each result has everything but `request`
   * (segmentSide.ts, previewMany). Without it each event runs alone and its exact request is captured.
   */
  batch?: number
}

/**
 * One event's Segment side: its item without any Movable Ink side, and, per result, what Movable Ink would
 * receive (undefined where nothing would reach it). It depends only on the event and the subscriptions, never
 * on the event mappings, so a caller that re-checks with edited mappings can keep it and evaluate only
 * Movable Ink's side again.
 */
export interface SegmentSide {
  item: PreviewItem
  received: unknown[]
}

export interface Previewer {
  /** What the configured URL looks wrong about, if anything (for a warning). */
  readonly urlWarning?: string
  /** The Segment side of each input, nothing of Movable Ink's (one call at a time). */
  segmentSides(inputs: InputItem[]): Promise<SegmentSide[]>
  previewEvent(input: InputItem): Promise<PreviewItem>
  /** The same for many events, the Movable Ink side of all of them in one evaluation (one call at a time). */
  previewEvents(inputs: InputItem[]): Promise<PreviewItem[]>
  close(): Promise<void>
}

const UNSET_URL = '<your Movable Ink URL>'

/** Where the request appears to go: the configured URL and host, or placeholders; a SettingsError if invalid. */
function shownAddress(url: string | undefined): ShownAddress & { warning?: string } {
  if (!url) return { url: UNSET_URL, host: '<its host>' }
  try {
    const parsed = checkMovableInkUrl(url)
    return { url: url.trim(), host: parsed.host, warning: movableInkUrlWarning(url.trim()) }
  } catch (error) {
    throw new SettingsError((error as Error).message, 'url')
  }
}

/** A result and what Movable Ink would receive for it, whose Movable Ink side is still to be evaluated. */
type Pending = { result: PreviewResult; received: unknown }

/** One previewer's state: the address shown, the runners per subscription, and the options. */
class PreviewService implements Previewer {
  readonly urlWarning?: string

  constructor(
    private readonly options: PreviewerOptions,
    private readonly shown: ShownAddress,
    private readonly sides: SubscriptionPreview[],
    private readonly capture: { close(): Promise<void> },
    urlWarning?: string
  ) {
    this.urlWarning = urlWarning
  }

  private itemOf(input: InputItem): PreviewItem {
    const item: PreviewItem = { source: input.source, line: input.line, subscriptions: [], results: [] }
    if (input.kind === 'malformed')
      return { ...item, malformed: input.reason, ...(input.refused ? { refused: input.refused } : {}) }
    item.event = describeEvent(input.event)
    const engage = engageMembership(input.event)
    if (engage) item.engage = engage
    for (const side of this.sides) {
      const { name, subscribe } = side.subscription
      item.subscriptions.push({ name, subscribe, matches: side.matches(input.event) })
    }
    return item
  }

  /**
   * A result on its item, with the input's integers beyond 2^53 as warnings (read from the text: the parsed
   * event already holds the rounded number); `always` keeps what Movable Ink would receive even without an
   * endpoint (for segmentSides).
   */
  private keep(item: PreviewItem, input: InputItem, pending: Pending[], { result, received }: Pending, always = false) {
    const unsafe = input.kind === 'event' ? input.unsafeIntegers ?? [] : []
    addWarnings(
      result,
      unsafe.map((integer) => ({ code: 'unsafe-integer', text: unsafeIntegerWarning(integer) }))
    )
    item.results.push(result)
    if ((always || this.options.endpoint) && received !== undefined) pending.push({ result, received })
  }

  /** One subscription's side of one event; an exception is that event's error, never the whole preview's. */
  private async previewSide(side: SubscriptionPreview, event: Record<string, unknown>): Promise<Pending> {
    try {
      return await side.preview(event, this.shown, this.options.now ?? Date.now())
    } catch (error) {
      const message = `The event could not be previewed: ${(error as Error)?.message ?? String(error)}.`
      const result = {
        subscription: side.subscription.name,
        errors: [message],
        errorRules: ['runtime:INTERNAL_ERROR' as const],
        warnings: [],
        warningCodes: []
      }
      return { result, received: undefined }
    }
  }

  private async segmentSide(input: InputItem, pending: Pending[], always = false): Promise<PreviewItem> {
    const item = this.itemOf(input)
    if (input.kind === 'malformed') return item
    for (const [s, side] of this.sides.entries())
      if (item.subscriptions[s].matches)
        this.keep(item, input, pending, await this.previewSide(side, input.event), always)
    return item
  }

  private async oneByOne(inputs: InputItem[], pending: Pending[]): Promise<PreviewItem[]> {
    const items: PreviewItem[] = []
    for (const input of inputs) items.push(await this.segmentSide(input, pending))
    return items
  }

  async segmentSides(inputs: InputItem[]): Promise<SegmentSide[]> {
    const result: SegmentSide[] = []
    for (const input of inputs) {
      const pending: Pending[] = []
      const item = await this.segmentSide(input, pending, true)
      result.push({ item, received: item.results.map((r) => pending.find((p) => p.result === r)?.received) })
    }
    return result
  }

  private async batched(inputs: InputItem[], batch: number, pending: Pending[]): Promise<PreviewItem[]> {
    const items = inputs.map((input) => this.itemOf(input))
    const now = this.options.now ?? Date.now()
    for (const [s, side] of this.sides.entries()) {
      const taken = inputs.flatMap((input, i) =>
        input.kind === 'event' && items[i].subscriptions[s].matches ? [{ i, event: input.event }] : []
      )
      if (taken.length === 0) continue
      const results = await side.previewMany(
        taken.map((t) => t.event),
        now,
        batch
      )
      taken.forEach((t, k) => this.keep(items[t.i], inputs[t.i], pending, results[k]))
    }
    return items
  }

  async previewEvents(inputs: InputItem[]): Promise<PreviewItem[]> {
    const { batch, endpoint } = this.options
    const pending: Pending[] = []
    const items = batch ? await this.batched(inputs, batch, pending) : await this.oneByOne(inputs, pending)
    if (endpoint && pending.length > 0) {
      const evaluations = await evaluateEvents(
        endpoint,
        pending.map((p) => p.received)
      )
      pending.forEach((p, i) => {
        p.result.movableInk = evaluations[i]
        addWarnings(p.result, mappingWarnings(p.received, evaluations[i], endpoint.spec))
      })
    }
    return items
  }

  async previewEvent(input: InputItem): Promise<PreviewItem> {
    return (await this.previewEvents([input]))[0]
  }

  close(): Promise<void> {
    return this.capture.close()
  }
}

export async function createPreviewer(options: PreviewerOptions): Promise<Previewer> {
  const { warning, ...shown } = shownAddress(options.settings.url)
  const capture = await startCaptureServer()
  const settings: Settings = {
    movable_ink_url: `${capture.url}/preview`,
    username: options.settings.username ?? 'username',
    password: options.settings.password ?? 'access-secret'
  }
  const sides = options.subscriptions.map((s) => new SubscriptionPreview(s, settings, capture))
  return new PreviewService(options, shown, sides, capture, warning)
}
