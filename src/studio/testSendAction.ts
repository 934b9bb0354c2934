import { restamped } from '../events/restamp'
import { requireSettings } from '../runtime/settings'
import type { GivenSettings } from '../runtime/settings'
import { matcherFor } from '../runtime/subscriptions'
import type { SubscriptionSpec } from '../runtime/subscriptions'
import { StudioError } from './studioError'
import type { StudioEvents } from './studioEvents'
import type { StudioMappings } from './studioMappings'
import { deliverOne, deliverToStandIn } from './testSend'
import type { SendTarget, TestSendAnswer } from './testSend'

/**
 * The page's test send: one event of the list, through the subscription that takes it, to the embedded stand-in
 * (with the mappings as edited) or to the configured Movable Ink URL, which the page never sees.
 */
export class TestSendAction {
  constructor(
    private readonly events: StudioEvents,
    private readonly mappings: StudioMappings,
    private readonly subscriptions: SubscriptionSpec[],
    /** For sending to a real endpoint; never shown on the page. */
    private readonly settings: GivenSettings
  ) {}

  /** Whether sending to a real endpoint is possible, without saying where (the page never shows settings). */
  configuredTarget(): { configured: boolean; problem?: string } {
    try {
      requireSettings(this.settings)
      return { configured: true }
    } catch (error) {
      return { configured: false, problem: (error as Error).message }
    }
  }

  /** `restamp`: as if it happened now, since Movable Ink refuses events older than 30 days (the examples are). */
  async send(id: number, target: SendTarget, spec: unknown, restamp = false): Promise<TestSendAnswer> {
    const found = this.events.find(id)
    if (found.item.kind !== 'event')
      throw new StudioError(
        400,
        found.item.refused
          ? `Event ${id} cannot be sent: it is ${found.item.reason}`
          : `Event ${id} is not valid JSON: fix it and paste again.`
      )
    const event = restamp ? restamped(found.item.event, new Date().toISOString()) : found.item.event
    const subscription = this.subscriptions.find((s) => matcherFor(s.subscribe)(event)) ?? this.subscriptions[0]
    if (target === 'stand-in') return deliverToStandIn(event, subscription, await this.mappings.compile(spec))
    const configured = this.configuredTarget()
    if (!configured.configured) throw new StudioError(400, `Cannot send to Movable Ink: ${configured.problem}`)
    const settings = requireSettings(this.settings)
    const answer = await deliverOne(event, subscription, settings, target)
    // A network error can quote the address; the page shows neither it nor the credentials.
    const hide = (text: string) =>
      text
        .split(settings.movable_ink_url)
        .join('<the configured URL>')
        .split(new URL(settings.movable_ink_url).host)
        .join('<its host>')
    return {
      ...answer,
      url: 'the configured Movable Ink URL',
      message: hide(answer.message),
      body: answer.body === undefined ? undefined : hide(answer.body)
    }
  }
}
