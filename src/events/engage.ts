/**
 * What a Segment Engage call says about a user: the audience or computed trait it is about, and the value.
 * Engage sends audiences and computed traits to Movable Ink as identify calls (`traits.<key>: true|false` for
 * an audience, `traits.<key>: <value>` for a computed trait) or as tracks (`Audience Entered`/`Audience Exited`
 * with `properties.audience_key`, `Trait Computed` with `properties.trait_key`), each with
 * `context.personas.computation_key` naming the key. An SA mapping such calls in Movable Ink needs to see which
 * property holds the membership, and its value.
 */

export interface EngageMembership {
  kind: 'audience' | 'computed trait'
  /** The audience's or trait's key: `first_time_shopper`. */
  key: string
  /** Where the key was read: `context.personas.computation_key`, `properties.audience_key`, ... */
  keyFrom: string
  /** The membership (true/false) or the trait's value; undefined when the call does not carry it. */
  value: unknown
  /** Where the value is: `traits.first_time_shopper`, `properties.first_time_shopper`, or the event's name. */
  valueFrom: string
}

type JsonObject = Record<string, unknown>

function objectAt(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {}
}

const AUDIENCE_TRACKS: Record<string, boolean> = { 'Audience Entered': true, 'Audience Exited': false }

/** The key of an Engage call: the personas context's, else the track's own property. */
function keyOf(event: JsonObject, properties: JsonObject): { key: string; keyFrom: string } | undefined {
  const personas = objectAt(objectAt(event.context).personas)
  if (typeof personas.computation_key === 'string' && personas.computation_key !== '')
    return { key: personas.computation_key, keyFrom: 'context.personas.computation_key' }
  for (const name of ['audience_key', 'trait_key'])
    if (typeof properties[name] === 'string' && properties[name] !== '')
      return { key: properties[name] as string, keyFrom: `properties.${name}` }
  return undefined
}

function kindOf(event: JsonObject): EngageMembership['kind'] | undefined {
  const personas = objectAt(objectAt(event.context).personas)
  if (event.type === 'track' && typeof event.event === 'string' && event.event in AUDIENCE_TRACKS) return 'audience'
  if (event.type === 'track' && event.event === 'Trait Computed') return 'computed trait'
  if (event.type !== 'identify' || typeof personas.computation_class !== 'string') return undefined
  return personas.computation_class === 'audience' ? 'audience' : 'computed trait'
}

/** The membership or trait an Engage call carries, or undefined for any other event. */
export function engageMembership(event: JsonObject): EngageMembership | undefined {
  const kind = kindOf(event)
  const properties = objectAt(event.properties)
  const named = kind && keyOf(event, properties)
  if (!kind || !named) return undefined
  const holder = event.type === 'identify' ? 'traits' : 'properties'
  const held = objectAt(event[holder])
  if (named.key in held) return { kind, ...named, value: held[named.key], valueFrom: `${holder}.${named.key}` }
  const entered = typeof event.event === 'string' ? AUDIENCE_TRACKS[event.event] : undefined
  if (entered !== undefined) return { kind, ...named, value: entered, valueFrom: `the event's name, "${event.event}"` }
  return { kind, ...named, value: undefined, valueFrom: `${holder}.${named.key}` }
}

/** `Engage audience: first_time_shopper: true (traits.first_time_shopper; the key from context.personas.computation_key)`. */
export function describeMembership(m: EngageMembership): string {
  const value = m.value === undefined ? `(no value: ${m.valueFrom} is missing)` : JSON.stringify(m.value)
  const where = m.value === undefined ? '' : `${m.valueFrom}; `
  return `Engage ${m.kind}: ${m.key}: ${value} (${where}the key from ${m.keyFrom})`
}
