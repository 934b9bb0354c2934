import type { Settings } from '../destinations/movable-ink/generated-types'
import type { CompiledEndpoint } from '../endpointModel'
import { DestinationRunner } from '../runtime/destinationRunner'
import { Redactor } from '../runtime/redactor'
import type { SubscriptionSpec } from '../runtime/subscriptions'
import { answerObject } from '../destinations/movable-ink/movableInkErrors'
import { startStandIn } from '../standIn/standIn'

/**
 * Segment's "Test Mapping": one event through the real destination (runtime/destinationRunner.ts) to Movable
 * Ink or to the embedded stand-in, and Movable Ink's answer as the page shows it.
 */

export type SendTarget = 'stand-in' | 'configured'

/**
 * What became of it, in words the page shows as they are: `delivered`; `refused by Movable Ink` (an HTTP
 * answer other than 2xx); `refused by the destination` (it failed the destination's own checks, so nothing was
 * sent); `not subscribed` (no subscription takes it, nothing was sent); `not delivered` (it went out, or tried
 * to, and no answer came: a network failure).
 */
export type SendOutcome =
  | 'delivered'
  | 'refused by Movable Ink'
  | 'refused by the destination'
  | 'not subscribed'
  | 'not delivered'

export interface TestSendAnswer {
  target: SendTarget
  /** Where it went, without credentials: the stand-in's address or the configured URL. */
  url: string
  ok: boolean
  outcome: SendOutcome
  /** Whether anything reached the other end (an HTTP answer came). */
  sent: boolean
  /** 0 when no HTTP answer came (not subscribed, invalid event, network failure). */
  status: number
  /** Movable Ink's message, or the destination's explanation of the failure. */
  message: string
  requestId?: string
  /** Movable Ink's answer as it came, when there was one. */
  body?: string
}

/** One event, read for the page; the Access Secret is removed from anything the answer quotes. */
export async function deliverOne(
  event: Record<string, unknown>,
  subscription: SubscriptionSpec,
  settings: Settings,
  target: SendTarget
): Promise<TestSendAnswer> {
  const redactor = new Redactor().add(settings.username, settings.password)
  const base = { target, url: settings.movable_ink_url }
  const { outcome, answer } = await new DestinationRunner(settings, subscription).run(event)
  const shown = { requestId: answer?.requestId, body: answer === undefined ? undefined : redactor.redact(answer.body) }
  if (outcome.kind === 'not subscribed')
    return {
      ...base,
      ok: false,
      outcome: 'not subscribed',
      sent: false,
      status: 0,
      message: `Nothing was sent: the subscription "${subscription.subscribe}" does not take this event.`
    }
  if (outcome.kind === 'failed') {
    const message = redactor.redact(outcome.message)
    if (answer !== undefined)
      return {
        ...base,
        ok: false,
        outcome: 'refused by Movable Ink',
        sent: true,
        status: answer.status,
        message,
        ...shown
      }
    // No HTTP answer: the destination refused it before sending (nothing left, and no connection failed), or
    // the network failed (it may or may not have reached Movable Ink).
    const checks = outcome.reached === 'not-sent' && outcome.connectionCode === undefined
    return {
      ...base,
      ok: false,
      outcome: checks ? 'refused by the destination' : 'not delivered',
      sent: false,
      status: 0,
      message,
      ...shown
    }
  }
  const said = answerObject(answer?.body)?.message
  return {
    ...base,
    ok: true,
    outcome: 'delivered',
    sent: true,
    status: outcome.status,
    message: typeof said === 'string' ? said : 'ok',
    ...shown
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
