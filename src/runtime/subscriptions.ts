import { readFileSync } from 'fs'
import { isObject, transform } from '@segment/actions-core'
import type { JSONObject } from '@segment/actions-core'
import { parseFql, validate } from '@segment/destination-subscriptions'
import definition from '../destinations/movable-ink'

/**
 * The subscriptions an event runs through: the destination's preset, or what `--mapping FILE` gives. Checked
 * with the runtime's own tools (its FQL parser, mapping-kit), so what passes here is what the runtime accepts.
 */

/** A mapping file that cannot be used, with where the mistake is. */
export class SubscriptionError extends Error {
  readonly name = 'SubscriptionError'
  constructor(message: string, readonly file: string) {
    super(message)
  }
}

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

function checkSubscription(spec: SubscriptionSpec, where: string, file: string): SubscriptionSpec {
  const fail = (why: string) => new SubscriptionError(`${where}: ${why}`, file)
  if (!(spec.partnerAction in definition.actions)) {
    const known = Object.keys(definition.actions).join(', ')
    throw fail(`there is no action "${spec.partnerAction}"; Movable Ink has: ${known}.`)
  }
  const parsed = parseFql(spec.subscribe)
  if ('error' in parsed && parsed.error)
    throw fail(`the subscription ${JSON.stringify(spec.subscribe)} is not valid FQL (${parsed.error.message}).`)
  try {
    transform(spec.mapping, {})
  } catch (error) {
    throw fail(`the mapping is not valid: ${(error as Error).message}`)
  }
  return spec
}

function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    const err = error as NodeJS.ErrnoException
    const why = err.code === 'ENOENT' ? 'does not exist.' : `is not valid JSON: ${err.message}`
    throw new SubscriptionError(`Mapping file ${file} ${why}`, file)
  }
}

/** One entry of a mapping file: a mapping alone (used with the preset's trigger), or a subscription. */
function subscriptionOf(value: unknown, where: string, file: string): SubscriptionSpec {
  if (!isObject(value))
    throw new SubscriptionError(`${where}: expected a JSON object (a mapping or a subscription).`, file)
  const [preset] = presetSubscriptions()
  const name = `${preset.name} (mapping from ${file})`
  if (!isObject(value.mapping) && typeof value.subscribe !== 'string')
    return checkSubscription({ ...preset, name, mapping: value as JSONObject }, where, file)
  const text = (key: string, fallback: string) => (typeof value[key] === 'string' ? (value[key] as string) : fallback)
  const spec = {
    name: text('name', name),
    subscribe: text('subscribe', preset.subscribe),
    partnerAction: text('partnerAction', preset.partnerAction),
    mapping: isObject(value.mapping) ? (value.mapping as JSONObject) : preset.mapping
  }
  return checkSubscription(spec, where, file)
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
  const parsed = readJsonFile(file)
  if (!Array.isArray(parsed)) return [subscriptionOf(parsed, file, file)]
  if (parsed.length === 0) throw new SubscriptionError(`Mapping file ${file} holds an empty list.`, file)
  return parsed.map((value, i) => subscriptionOf(value, `${file} [${i}]`, file))
}

/** The subscriptions of `--mapping FILE`, or the preset's when no file is given. */
export function subscriptionsFrom(file: string | undefined): SubscriptionSpec[] {
  return file ? loadSubscriptions(file) : presetSubscriptions()
}

/** Whether a subscription's trigger matches an event, with the runtime's own FQL matcher. */
export function matcherFor(subscribe: string): (event: Record<string, unknown>) => boolean {
  const parsed = parseFql(subscribe)
  return (event) => validate(parsed, event)
}
