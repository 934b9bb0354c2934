import { checkMovableInkUrl, movableInkUrlWarning } from '../destinations/movable-ink/movableInkUrl'
import type { Settings } from '../destinations/movable-ink/generated-types'
import { evaluateEvents } from '../endpointModel'
import type { CompiledEndpoint } from '../endpointModel'
import { describeEvent } from '../events/describeEvent'
import type { InputItem } from '../events/items'
import { unsafeIntegerWarning } from '../events/largeIntegers'
import { SettingsError } from '../runtime/settings'
import type { GivenSettings } from '../runtime/settings'
import type { SubscriptionSpec } from '../runtime/subscriptions'
import { startCaptureServer } from './captureServer'
import type { PreviewItem, PreviewResult } from './previewTypes'
import { SubscriptionPreview } from './segmentSide'
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
}

export interface Previewer {
  /** What the configured URL looks wrong about, if anything (for a warning). */
  readonly urlWarning?: string
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

export async function createPreviewer(options: PreviewerOptions): Promise<Previewer> {
  const shown = shownAddress(options.settings.url)
  const capture = await startCaptureServer()
  const settings: Settings = {
    movable_ink_url: `${capture.url}/preview`,
    username: options.settings.username ?? 'username',
    password: options.settings.password ?? 'access-secret'
  }
  const sides = options.subscriptions.map((s) => new SubscriptionPreview(s, settings, capture))

  const segmentSide = async (input: InputItem, pending: Pending[]): Promise<PreviewItem> => {
    const item: PreviewItem = { source: input.source, line: input.line, subscriptions: [], results: [] }
    if (input.kind === 'malformed')
      return { ...item, malformed: input.reason, ...(input.refused ? { refused: input.refused } : {}) }
    item.event = describeEvent(input.event)
    for (const side of sides) {
      const { name, subscribe } = side.subscription
      const matches = side.matches(input.event)
      item.subscriptions.push({ name, subscribe, matches })
      if (!matches) continue
      try {
        const { result, received } = await side.preview(input.event, shown, options.now ?? Date.now())
        // Read from the text: the parsed event already holds the rounded number.
        result.warnings.push(...(input.unsafeIntegers ?? []).map(unsafeIntegerWarning))
        item.results.push(result)
        if (options.endpoint && received !== undefined) pending.push({ result, received })
      } catch (error) {
        // One event's exception is that event's error, never the whole preview's.
        const message = `The event could not be previewed: ${(error as Error)?.message ?? String(error)}.`
        item.results.push({ subscription: name, errors: [message], warnings: [] })
      }
    }
    return item
  }

  const previewEvents = async (inputs: InputItem[]): Promise<PreviewItem[]> => {
    const pending: Pending[] = []
    const items: PreviewItem[] = []
    for (const input of inputs) items.push(await segmentSide(input, pending))
    if (options.endpoint && pending.length > 0) {
      const evaluations = await evaluateEvents(
        options.endpoint,
        pending.map((p) => p.received)
      )
      pending.forEach((p, i) => (p.result.movableInk = evaluations[i]))
    }
    return items
  }

  return {
    urlWarning: shown.warning,
    previewEvents,
    previewEvent: async (input: InputItem) => (await previewEvents([input]))[0],
    close: () => capture.close()
  }
}
