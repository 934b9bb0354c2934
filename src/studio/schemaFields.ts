import { isObject } from '@segment/actions-core'
import { CUSTOM_REQUIRED, ISO_TO_UNIX_MS, PREDEFINED_SCHEMAS } from '../endpointModel'
import type { FieldType } from '../endpointModel'

/**
 * The fields a Movable Ink schema brings when it is chosen in the studio, each with a path guessed from the
 * selected event: the first of the standard Segment properties (Segment's ecommerce spec) that the event has,
 * else the first as a placeholder. Which are required comes from the endpoint model's PREDEFINED_SCHEMAS (one
 * list); the optional ones are offered. Every path is a guess for the Solutions Architect to confirm.
 */

interface Template {
  name: string
  type: FieldType
  /** Simple paths (`.a.b`, `.a[].b`), most likely first. */
  paths: string[]
  /** The jq to use in place of the path found (the Timestamp's conversion, the Products' shape). */
  jq?: (path: string) => string
}

export interface SuggestedField {
  name: string
  path: string
  type: FieldType
  required: boolean
  /** Whether the path gives a value for the selected event (else it is only the usual place). */
  found: boolean
}

const TIMESTAMP: Template = {
  name: 'Timestamp',
  type: 'number',
  paths: ['.timestamp'],
  jq: (path) => `${path} | ${ISO_TO_UNIX_MS}`
}
const TIMEZONE: Template = { name: 'Timezone', type: 'string', paths: ['.context.timezone'] }
const CHANNEL: Template = { name: 'Channel', type: 'string', paths: ['.channel', '.context.channel'] }
const USER_ID: Template = { name: 'UserID', type: 'string', paths: ['.userId'] }
const PAGE_URL = ['.properties.url', '.context.page.url']

const PRODUCT: Template[] = [
  { name: 'ID', type: 'string', paths: ['.properties.product_id', '.properties.sku', '.properties.id'] },
  TIMESTAMP,
  { name: 'Price', type: 'number', paths: ['.properties.price'] },
  { name: 'Title', type: 'string', paths: ['.properties.name', '.properties.title'] },
  { name: 'URL', type: 'string', paths: PAGE_URL },
  CHANNEL,
  TIMEZONE
]

const PRODUCTS_SHAPE = (path: string) =>
  `[${path}[]? | {id: (.product_id // .sku), url: .url, quantity: .quantity, price: .price, title: .name}]`

const TEMPLATES: Record<string, Template[]> = {
  Identify: [USER_ID, { name: 'AnonymousId', type: 'string', paths: ['.anonymousId'] }, TIMESTAMP, TIMEZONE],
  Product: PRODUCT,
  CartAdd: PRODUCT,
  CartRemove: PRODUCT,
  Category: [
    {
      name: 'CategoryID',
      type: 'string',
      paths: ['.properties.category_id', '.properties.list_id', '.properties.category']
    },
    TIMESTAMP,
    { name: 'Title', type: 'string', paths: ['.properties.category', '.properties.name'] },
    { name: 'CategoryURL', type: 'string', paths: PAGE_URL },
    CHANNEL,
    TIMEZONE
  ],
  Search: [
    { name: 'Query', type: 'string', paths: ['.properties.query'] },
    TIMESTAMP,
    USER_ID,
    { name: 'AnonymousID', type: 'string', paths: ['.anonymousId'] },
    { name: 'URL', type: 'string', paths: ['.context.page.url', '.properties.url'] },
    CHANNEL,
    TIMEZONE
  ],
  Conversion: [
    { name: 'Products', type: 'array', paths: ['.properties.products'], jq: PRODUCTS_SHAPE },
    { name: 'Products.ID', type: 'string', paths: ['.properties.products[].product_id', '.properties.products[].sku'] },
    TIMESTAMP,
    { name: 'ID', type: 'string', paths: ['.properties.order_id', '.properties.checkout_id'] },
    { name: 'Revenue', type: 'number', paths: ['.properties.revenue', '.properties.total'] },
    CHANNEL,
    TIMEZONE
  ],
  Custom: [TIMESTAMP, TIMEZONE]
}

/** The value at a simple path (`.a.b`, `.a[].b`: the first item of an array), or undefined. */
export function valueAt(event: unknown, path: string): unknown {
  let here: unknown = event
  for (const step of path.split('.').slice(1)) {
    const [key, each] = step.endsWith('[]') ? [step.slice(0, -2), true] : [step, false]
    here = isObject(here) ? here[key] : undefined
    if (each) here = Array.isArray(here) ? here[0] : undefined
  }
  return here === null ? undefined : here
}

function suggest(template: Template, required: string[], event: unknown): SuggestedField {
  const found = template.paths.find((p) => valueAt(event, p) !== undefined)
  const path = found ?? template.paths[0]
  return {
    name: template.name,
    path: template.jq ? template.jq(path) : path,
    type: template.type,
    required: required.includes(template.name),
    found: found !== undefined
  }
}

/** Per schema (the predefined ones and Custom), its fields with paths guessed from this event. */
export function schemaFieldsFor(event: unknown): Record<string, SuggestedField[]> {
  return Object.fromEntries(
    Object.entries(TEMPLATES).map(([schema, templates]) => {
      const required = PREDEFINED_SCHEMAS[schema] ?? CUSTOM_REQUIRED
      return [schema, templates.map((t) => suggest(t, required, event))]
    })
  )
}
