import { Destination } from '@segment/actions-core'
import type { DecoratedResponse, JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../destinations/movable-ink'
import type { Settings } from '../destinations/movable-ink/generated-types'
import { answerObject, movableInkRequestId } from '../destinations/movable-ink/movableInkErrors'
import type { CompiledEndpoint } from '../endpointModel'
import { outcomeOfError } from '../cli/runtime'
import type { SubscriptionSpec } from '../cli/runtime'
import { Redactor } from '../cli/settings'
import { startStandIn } from '../cli/standIn'

/**
 * Segment's "Test Mapping": one event through the real destination (subscription, mapping, action, request
 * client) to Movable Ink or to the embedded stand-in, and Movable Ink's answer as the page shows it.
 */

export type SendTarget = 'stand-in' | 'configured'

export interface TestSendAnswer {
  target: SendTarget
  /** Where it went, without credentials: the stand-in's address or the configured URL. */
  url: string
  ok: boolean
  /** 0 when no HTTP answer came (not subscribed, invalid event, network failure). */
  status: number
  /** Movable Ink's message, or the destination's explanation of the failure. */
  message: string
  requestId?: string
  /** Movable Ink's answer as it came, when there was one. */
  body?: string
}

function answerParts(response: DecoratedResponse | undefined): { body?: string; requestId?: string; said?: string } {
  if (!response) return {}
  const body = response.content
  const answer = answerObject(body)
  const said = typeof answer?.message === 'string' ? answer.message : undefined
  return { body, requestId: movableInkRequestId(answer, response.headers), said }
}

/** One onEvent, read for the page; the Access Secret is removed from anything the answer quotes. */
export async function deliverOne(
  event: Record<string, unknown>,
  subscription: SubscriptionSpec,
  settings: Settings,
  target: SendTarget
): Promise<TestSendAnswer> {
  const destination = new Destination<Settings>(definition)
  const redactor = new Redactor().add(settings.username, settings.password)
  const base = { target, url: settings.movable_ink_url }
  const subscriptionSettings = { ...(settings as unknown as JSONObject), subscription: { ...subscription } }
  try {
    const results = await destination.onEvent(
      event as unknown as SegmentEvent,
      subscriptionSettings as unknown as JSONObject
    )
    if (results.length === 1 && results[0].output === 'not subscribed')
      return {
        ...base,
        ok: false,
        status: 0,
        message: `Not sent: the subscription "${subscription.subscribe}" does not match this event.`
      }
    const answer = answerParts(destination.responses[destination.responses.length - 1])
    const status = destination.responses[destination.responses.length - 1]?.status ?? 200
    return { ...base, ok: true, status, message: answer.said ?? 'ok', requestId: answer.requestId, body: answer.body }
  } catch (error) {
    const outcome = outcomeOfError(error)
    const answer = answerParts(destination.responses[destination.responses.length - 1])
    return {
      ...base,
      ok: false,
      status: outcome.status ?? 0,
      message: redactor.redact(outcome.message),
      requestId: answer.requestId,
      body: answer.body === undefined ? undefined : redactor.redact(answer.body)
    }
  }
}

/** To the embedded stand-in, started for this one event with the event mappings as they are on the page. */
export async function deliverToStandIn(
  event: Record<string, unknown>,
  subscription: SubscriptionSpec,
  endpoint: CompiledEndpoint
): Promise<TestSendAnswer> {
  const username = 'movable-ink-studio'
  const password = `studio-${process.pid}-${Date.now()}`
  const standIn = await startStandIn({ username, password, record: false, endpoint })
  try {
    return await deliverOne(event, subscription, { movable_ink_url: standIn.url, username, password }, 'stand-in')
  } finally {
    await standIn.close()
  }
}
