import { readFileSync } from 'fs'
import { Destination, isObject, transform } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import { parseFql, validate } from '@segment/destination-subscriptions'
import definition from '../destinations/movable-ink'
import type { Settings } from '../destinations/movable-ink/generated-types'
import { isRetryableError, parseRetryAfter, retryAfterOf } from '../destinations/movable-ink/movableInkErrors'
import { UsageError } from './settings'

/**
 * Everything here goes through actions-core's own runtime: `Destination.onEvent`/`onBatch` (subscription
 * matching, mapping-kit, schema validation, the action and its request client). Nothing about mapping or
 * validation is re-implemented; the FQL matcher used to tell "not subscribed" from "failed" is the one the
 * runtime itself uses.
 */

export interface SubscriptionSpec {
  name: string
  subscribe: string
  partnerAction: string
  mapping: JSONObject
}

/** The destination's presets as subscriptions: what a new Movable Ink (Actions) destination starts with. */
export function presetSubscriptions(): SubscriptionSpec[] {
  return (definition.presets ?? []).flatMap((preset) =>
    preset.type === 'automatic'
      ? [
          {
            name: preset.name ?? preset.partnerAction,
            subscribe: preset.subscribe,
            partnerAction: preset.partnerAction,
            mapping: preset.mapping ?? {}
          }
        ]
      : []
  )
}

function checkSubscription(spec: SubscriptionSpec, where: string): SubscriptionSpec {
  if (!(spec.partnerAction in definition.actions)) {
    throw new UsageError(
      `${where}: there is no action "${spec.partnerAction}"; Movable Ink has: ${Object.keys(definition.actions).join(
        ', '
      )}.`
    )
  }
  const parsed = parseFql(spec.subscribe)
  if ('error' in parsed && parsed.error) {
    throw new UsageError(
      `${where}: the subscription ${JSON.stringify(spec.subscribe)} is not valid FQL (${parsed.error.message}).`
    )
  }
  try {
    transform(spec.mapping, {})
  } catch (error) {
    throw new UsageError(`${where}: the mapping is not valid: ${(error as Error).message}`)
  }
  return spec
}

/**
 * Reads `--mapping FILE`. The file holds either
 * - a mapping, as in Segment's mapping editor: `{ "data": { "@path": "$.properties" }, "headers": { ... } }`,
 *   used with the "Send Entire Event" preset's trigger; or
 * - a subscription: `{ "name"?, "subscribe"?, "partnerAction"?, "mapping": { ... } }`, where a missing
 *   `subscribe` or `partnerAction` is the preset's; or
 * - a list of subscriptions (preview shows which of them match each event).
 * The mapping is used as it is (not merged with the preset's defaults), as Segment stores it.
 */
export function loadSubscriptions(file: string): SubscriptionSpec[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    const err = error as NodeJS.ErrnoException
    throw new UsageError(
      err.code === 'ENOENT'
        ? `Mapping file ${file} does not exist.`
        : `Mapping file ${file} is not valid JSON: ${err.message}`
    )
  }
  const [preset] = presetSubscriptions()
  const one = (value: unknown, where: string): SubscriptionSpec => {
    if (!isObject(value)) throw new UsageError(`${where}: expected a JSON object (a mapping or a subscription).`)
    const isSubscription = isObject(value.mapping) || typeof value.subscribe === 'string'
    if (!isSubscription)
      return checkSubscription(
        { ...preset, name: `${preset.name} (mapping from ${file})`, mapping: value as JSONObject },
        where
      )
    return checkSubscription(
      {
        name: typeof value.name === 'string' ? value.name : `${preset.name} (mapping from ${file})`,
        subscribe: typeof value.subscribe === 'string' ? value.subscribe : preset.subscribe,
        partnerAction: typeof value.partnerAction === 'string' ? value.partnerAction : preset.partnerAction,
        mapping: isObject(value.mapping) ? (value.mapping as JSONObject) : preset.mapping
      },
      where
    )
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) throw new UsageError(`Mapping file ${file} holds an empty list.`)
    return parsed.map((value, i) => one(value, `${file} [${i}]`))
  }
  return [one(parsed, file)]
}

/** Whether a subscription's trigger matches an event, with the runtime's own FQL matcher. */
export function matcherFor(subscribe: string): (event: Record<string, unknown>) => boolean {
  const parsed = parseFql(subscribe)
  return (event) => validate(parsed, event)
}

export type Outcome =
  | { ok: true; status: number; notSubscribed?: boolean }
  | { ok: false; status?: number; code: string; message: string; retryable: boolean; retryAfterMs?: number }

/** What the runtime says about a failure it threw. */
export function outcomeOfError(error: unknown): Outcome & { ok: false } {
  const err = error as { status?: unknown; code?: unknown; message?: unknown; name?: string }
  return {
    ok: false,
    status: typeof err?.status === 'number' ? err.status : undefined,
    code: typeof err?.code === 'string' ? err.code : err?.name ?? 'ERROR',
    message: typeof err?.message === 'string' ? err.message : String(error),
    retryable: isRetryableError(error),
    retryAfterMs: retryAfterOf(error)
  }
}

/**
 * Delivers events through `Destination` instances. Each call in flight gets an instance of its own from a
 * small pool (as many as the concurrency), so that the responses the runtime records on the instance
 * (`destination.responses`) belong to that call: they give the HTTP status of a success and the Retry-After of
 * a throttled batch. The list is emptied after every call, so it never grows.
 */
export class Delivery {
  private readonly pool: Destination<Settings>[] = []
  private readonly subscriptionSettings: JSONObject

  constructor(
    readonly settings: Settings,
    readonly subscription: SubscriptionSpec,
    private readonly options: { batchSize?: number; timeoutMs?: number } = {}
  ) {
    const mapping = options.batchSize
      ? { ...subscription.mapping, enable_batching: true, batch_size: options.batchSize }
      : subscription.mapping
    this.subscriptionSettings = {
      ...(settings as unknown as JSONObject),
      subscription: {
        name: subscription.name,
        subscribe: subscription.subscribe,
        partnerAction: subscription.partnerAction,
        mapping
      }
    }
  }

  private take(): Destination<Settings> {
    return this.pool.pop() ?? new Destination<Settings>(definition)
  }

  private give(destination: Destination<Settings>): void {
    destination.responses.length = 0
    this.pool.push(destination)
  }

  private eventOptions() {
    return this.options.timeoutMs ? { signal: AbortSignal.timeout(this.options.timeoutMs) } : undefined
  }

  /** Nothing to release: the `Deliverer` interface of `send`, which may instead hold worker threads. */
  async close(): Promise<void> {
    // nothing to release
  }

  /** One event, one `onEvent`: the status of the response, or the runtime's error as an outcome. */
  async sendOne(event: Record<string, unknown>): Promise<Outcome> {
    const destination = this.take()
    try {
      const results = await destination.onEvent(
        event as unknown as SegmentEvent,
        this.subscriptionSettings,
        this.eventOptions()
      )
      if (results.length === 1 && results[0].output === 'not subscribed')
        return { ok: true, status: 0, notSubscribed: true }
      const last = destination.responses[destination.responses.length - 1]
      return { ok: true, status: last?.status ?? 200 }
    } catch (error) {
      return outcomeOfError(error)
    } finally {
      this.give(destination)
    }
  }

  /**
   * Many events, one `onBatch` (the action's performBatch, which splits them into requests under the limits):
   * an outcome per event, at its index. A 429's Retry-After is read from the responses of this call.
   */
  async sendMany(events: Record<string, unknown>[]): Promise<Outcome[]> {
    const destination = this.take()
    try {
      const results = await destination.onBatch(
        events as unknown as SegmentEvent[],
        this.subscriptionSettings,
        this.eventOptions()
      )
      let retryAfterMs: number | undefined
      for (const response of destination.responses) {
        if (response.status !== 429) continue
        const wait = parseRetryAfter(response.headers.get('retry-after'))
        if (wait !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, wait)
      }
      const multistatus = results[0]?.multistatus ?? []
      return events.map((_, i): Outcome => {
        const node = multistatus[i]
        if (!node) {
          return {
            ok: false,
            code: 'NO_RESULT',
            message: 'The runtime reported no result for this event.',
            retryable: false
          }
        }
        if ('errormessage' in node && node.errormessage !== undefined) {
          const status = node.status
          const retryable = isRetryableError({ status })
          return {
            ok: false,
            status,
            code: String(node.errortype ?? 'ERROR'),
            message: node.errormessage,
            retryable,
            retryAfterMs: status === 429 ? retryAfterMs : undefined
          }
        }
        return { ok: true, status: node.status }
      })
    } catch (error) {
      const outcome = outcomeOfError(error)
      return events.map(() => outcome)
    } finally {
      this.give(destination)
    }
  }
}

/** `track "Order Completed"`, `page "Home"`, `identify`: how an event is named in the output. */
export function describeEvent(event: Record<string, unknown>): string {
  const type = typeof event.type === 'string' ? event.type : '(no type)'
  const name = typeof event.event === 'string' ? event.event : typeof event.name === 'string' ? event.name : undefined
  return name === undefined ? type : `${type} ${JSON.stringify(name)}`
}
