/**
 * What the runtime contenders (and the in-process dispatch measurement) run with: the Movable Ink preset's
 * subscription, and its mapping `data: {"@path": "$."}`, as a new Movable Ink (Actions) destination starts.
 */
import type { JSONObject } from '@segment/actions-core'
import type { Credentials } from './credentials'

/**
 * The preset's subscription, the same in the reference and in this project (test/bench checks both). Not
 * imported from src/destinations/movable-ink: that would load this project's destination into every
 * contender's process, the reference's and the bare loop's too, and into their RSS.
 */
export const PRESET_SUBSCRIBE =
  'type = "identify" or type = "track" or type = "page" or type = "screen" or type = "group"'

/** Settings with the preset subscription; `mapping` adds to its mapping (batching, for one). */
export function presetSettings(url: string, { username, password }: Credentials, mapping: JSONObject = {}): JSONObject {
  return {
    username,
    password,
    movable_ink_url: url,
    subscription: {
      subscribe: PRESET_SUBSCRIBE,
      partnerAction: 'sendEntireEvent',
      mapping: { data: { '@path': '$.' }, ...mapping }
    }
  }
}
