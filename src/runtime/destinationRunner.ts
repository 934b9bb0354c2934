import { Destination } from '@segment/actions-core'
import type { DecoratedResponse, JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../destinations/movable-ink'
import type { Settings } from '../destinations/movable-ink/generated-types'
import {
  answerObject,
  isRetryableError,
  movableInkRequestId,
  parseRetryAfter
} from '../destinations/movable-ink/movableInkErrors'
import { failCutResponses } from '../io/cutResponses'
import { lostOutcome, outcomeOfError } from './outcome'
import type { Failure, Outcome } from './outcome'
import { matcherFor } from './subscriptions'
import type { SubscriptionSpec } from './subscriptions'

/**
 * The one way this project runs events through the destination: actions-core's own runtime,
 * `Destination.onEvent`/`onBatch` (subscription, mapping-kit, schema validation, the action and its request
 * client). Nothing about mapping or validation is re-implemented. Whether the subscription's trigger matches
 * is decided first, with the matcher the runtime itself uses, so "not subscribed" is known as data.
 *
 * Each call in flight gets a `Destination` of its own from a small pool, so that the responses the runtime
 * records on the instance belong to that call; the list is emptied after every call, so it never grows.
 */

export interface RunOptions {
  /** Sends with the batching path: `enable_batching` with this `batch_size`. */
  batchSize?: number
  timeoutMs?: number
}

/** Movable Ink's last answer to a call, as it came. */
export interface Answer {
  status: number
  body: string
  requestId?: string
}

export interface EventRun {
  outcome: Outcome
  answer?: Answer
}

/** What `send` delivers through: a runner in this thread, or a pool of worker threads. */
export interface Deliverer {
  sendOne(event: Record<string, unknown>): Promise<Outcome>
  sendMany(events: Record<string, unknown>[]): Promise<Outcome[]>
  close(): Promise<void>
}

function answerOf(response: DecoratedResponse | undefined): Answer | undefined {
  if (!response) return undefined
  const body = response.content
  return { status: response.status, body, requestId: movableInkRequestId(answerObject(body), response.headers) }
}

/** The longest Retry-After among a call's 429 answers. */
function retryAfterOf(responses: DecoratedResponse[]): number | undefined {
  let wait: number | undefined
  for (const response of responses) {
    const asked = response.status === 429 ? parseRetryAfter(response.headers.get('retry-after')) : undefined
    if (asked !== undefined) wait = Math.max(wait ?? 0, asked)
  }
  return wait
}

type MultiStatusNode = { status: number; errortype?: unknown; errormessage?: string; body?: unknown }

function outcomeOfNode(node: MultiStatusNode | undefined, retryAfterMs: number | undefined): Outcome {
  if (!node) return lostOutcome('NO_RESULT', 'The runtime reported no result for this event.', 'unknown')
  if (node.errormessage === undefined) return { kind: 'delivered', status: node.status }
  const reached = (node.body as { reached?: Failure['reached'] } | undefined)?.reached ?? 'answered'
  const status = node.status
  return {
    kind: 'failed',
    status,
    code: String(node.errortype ?? 'ERROR'),
    message: node.errormessage,
    retryable: isRetryableError({ status }),
    retryAfterMs: status === 429 ? retryAfterMs : undefined,
    reached: node.errortype === 'PAYLOAD_VALIDATION_FAILED' ? 'not-sent' : reached
  }
}

export class DestinationRunner implements Deliverer {
  private readonly pool: Destination<Settings>[] = []
  private readonly subscriptionSettings: JSONObject
  /** Whether the subscription's trigger takes an event. */
  readonly matches: (event: Record<string, unknown>) => boolean

  constructor(
    readonly settings: Settings,
    readonly subscription: SubscriptionSpec,
    private readonly options: RunOptions = {}
  ) {
    const mapping = options.batchSize
      ? { ...subscription.mapping, enable_batching: true, batch_size: options.batchSize }
      : subscription.mapping
    const { name, subscribe, partnerAction } = subscription
    this.subscriptionSettings = {
      ...(settings as unknown as JSONObject),
      subscription: { name, subscribe, partnerAction, mapping }
    }
    this.matches = matcherFor(subscription.subscribe)
    // An answer cut off by a closed connection fails its call at once, not at the timeout (io/cutResponses.ts).
    failCutResponses()
  }

  private async withDestination<T>(use: (destination: Destination<Settings>) => Promise<T>): Promise<T> {
    const destination = this.pool.pop() ?? new Destination<Settings>(definition)
    try {
      return await use(destination)
    } finally {
      destination.responses.length = 0
      this.pool.push(destination)
    }
  }

  /**
   * The call's options: with a timeout, a signal that aborts it. Its timer is a plain one, which keeps the
   * process alive while the call waits (AbortSignal.timeout's does not: a call waiting on nothing else would
   * let the process exit with its promise unsettled); `done` clears it.
   */
  private eventOptions(): { options?: { signal: AbortSignal }; done: () => void } {
    const timeoutMs = this.options.timeoutMs
    if (!timeoutMs) return { done: () => undefined }
    const controller = new AbortController()
    const timer = setTimeout(
      () => controller.abort(new DOMException('The request timed out', 'TimeoutError')),
      timeoutMs
    )
    return { options: { signal: controller.signal }, done: () => clearTimeout(timer) }
  }

  /** One event, one `onEvent`: its outcome and Movable Ink's last answer. */
  run(event: Record<string, unknown>): Promise<EventRun> {
    if (!this.matches(event)) return Promise.resolve({ outcome: { kind: 'not subscribed' } })
    return this.withDestination(async (destination) => {
      const last = () => answerOf(destination.responses[destination.responses.length - 1])
      const call = this.eventOptions()
      try {
        await destination.onEvent(event as unknown as SegmentEvent, this.subscriptionSettings, call.options)
        const answer = last()
        return { outcome: { kind: 'delivered', status: answer?.status ?? 200 }, answer }
      } catch (error) {
        return { outcome: outcomeOfError(error), answer: last() }
      } finally {
        call.done()
      }
    })
  }

  async sendOne(event: Record<string, unknown>): Promise<Outcome> {
    return (await this.run(event)).outcome
  }

  /**
   * Many events, one `onBatch` for those the trigger takes (the action's performBatch splits them into
   * requests under the limits): an outcome per event, at its index.
   */
  async sendMany(events: Record<string, unknown>[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = events.map(() => ({ kind: 'not subscribed' }))
    const taken = events.flatMap((event, i) => (this.matches(event) ? [i] : []))
    if (taken.length === 0) return outcomes
    const batched = await this.withDestination(async (destination) => {
      const call = this.eventOptions()
      try {
        const batch = taken.map((i) => events[i]) as unknown as SegmentEvent[]
        const results = await destination.onBatch(batch, this.subscriptionSettings, call.options)
        const nodes = (results[0]?.multistatus ?? []) as MultiStatusNode[]
        const retryAfterMs = retryAfterOf(destination.responses)
        return taken.map((_, k) => outcomeOfNode(nodes[k], retryAfterMs))
      } catch (error) {
        return taken.map(() => outcomeOfError(error))
      } finally {
        call.done()
      }
    })
    taken.forEach((i, k) => (outcomes[i] = batched[k]))
    return outcomes
  }

  async close(): Promise<void> {
    // nothing to release: the pool is garbage like any object
  }
}
