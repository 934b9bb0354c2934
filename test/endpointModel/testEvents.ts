import { readdirSync, readFileSync } from 'fs'
import { join, resolve } from 'path'

/** Events the endpoint model's tests use: the examples, generated ones, and edge cases as raw JSON texts. */

const EVENTS_DIR = resolve(__dirname, '../../examples/events')

/** examples/events/*.json, each as the one-line JSON text the model hands jq. */
export function exampleTexts(): string[] {
  return readdirSync(EVENTS_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.stringify(JSON.parse(readFileSync(join(EVENTS_DIR, file), 'utf8'))))
}

/** Four kinds in turn: identify, a product view, one with a mistyped price and no id, and an unmapped group. */
export function eventAt(i: number): unknown {
  const timestamp = new Date(Date.UTC(2025, 0, 1) + i * 1001).toISOString()
  switch (i % 4) {
    case 0:
      return { type: 'identify', userId: `u${i}`, anonymousId: `a${i}`, timestamp }
    case 1:
      return { type: 'track', event: 'Product Viewed', properties: { product_id: `p${i}`, price: i }, timestamp }
    case 2:
      return { type: 'track', event: 'Product Viewed', properties: { price: `x${i}` }, timestamp }
    default:
      return { type: 'group', groupId: `g${i}`, timestamp }
  }
}

/** The events of the model's own tests (batch, fields, matching). */
export const MODEL_TEST_EVENTS: unknown[] = [
  ...Array.from({ length: 8 }, (_, i) => eventAt(i)),
  { type: 'track', properties: { id: 'p1', price: 'cheap', tags: ['a'] } },
  { type: 'track', timestamp: '2025-01-15T10:00:00.123Z' },
  { type: 'track', timestamp: '2025-01-15T10:00:00.123456Z' },
  { type: 'track', timestamp: '2024-02-29T23:59:59.5Z' },
  { type: 'track', properties: { price: '12.5' } },
  { type: 'track', properties: { price: 'abc' } },
  { a: 'text' },
  { a: { b: 1 }, x: 7 },
  { type: 'track', properties: { at: 1736935200123 }, timestamp: '2000-01-01T00:00:00Z' },
  { type: 'page', name: 'Home', timestamp: '2025-01-15T10:00:00.123Z' },
  { type: 'track', event: 'Signed Up', timestamp: 't' },
  { type: 'group', groupId: 'g' }
]

function orderWithProducts(count: number): unknown {
  const products = Array.from({ length: count }, (_, i) => ({
    product_id: `p${i}`,
    sku: `SKU-${i}`,
    name: `Product ${i} ✓`,
    price: i + 0.99,
    quantity: (i % 3) + 1,
    category: i % 2 ? 'Shoes' : null
  }))
  return {
    type: 'track',
    event: 'Order Completed',
    userId: 'user-1',
    timestamp: '2025-01-15T10:05:00.000Z',
    properties: { order_id: 'o-1', total: 1234.5, currency: 'EUR', products }
  }
}

const TIMESTAMP = '2025-01-15T10:00:00.123Z'

/**
 * Edge cases as JSON texts, some of which JavaScript cannot produce (1e1000, -0, a 20-digit integer): unicode
 * (U+2028, U+2029, NUL, astral), big and odd numbers, nulls, missing fields, `properties: null`, 1,000 products,
 * odd timestamps, and top-level values that are not objects. The nesting stays shallow enough for jq-web's own
 * instance, whose tojson runs past its stack at some 40 levels (see src/endpointModel/jq/thread/context.ts; the stack test goes deeper).
 */
export const EDGE_TEXTS: string[] = [
  JSON.stringify({
    type: 'identify',
    userId: 'u\u2028x\u2029y',
    anonymousId: 'a\u0000b',
    timestamp: TIMESTAMP,
    context: { timezone: 'Europe/Zürich 👩‍🚀' },
    traits: { ключ: 'значение', '\u2028': '\u0000' }
  }),
  `{"type":"track","event":"Product Viewed","properties":{"product_id":12345678901234567890,"price":1e1000,"quantity":-0,"tiny":1e-400,"name":"n"},"timestamp":"${TIMESTAMP}"}`,
  `{"type":"track","event":"Product Added","properties":{"product_id":"p","price":-0,"quantity":100000000000000000000000000000001},"timestamp":1736935200}`,
  JSON.stringify({
    type: 'track',
    event: 'Product Viewed',
    properties: { product_id: null, price: null },
    timestamp: null
  }),
  JSON.stringify({ type: 'track', event: 'Order Completed', properties: null, timestamp: TIMESTAMP }),
  JSON.stringify({ type: 'track', event: 'Products Searched', properties: { query: null } }),
  JSON.stringify({ type: 'track' }),
  JSON.stringify({}),
  JSON.stringify({ type: 7, event: ['x'] }),
  JSON.stringify({ type: 'page', name: { nested: true }, timestamp: '2025-01-15T10:00:00+02:00' }),
  JSON.stringify({ type: 'screen', name: 'Home', timestamp: 'not a date' }),
  JSON.stringify({
    type: 'identify',
    userId: 'u',
    anonymousId: 'a',
    timestamp: '2025-01-15T10:00:00Z',
    deep: nested(8)
  }),
  JSON.stringify(orderWithProducts(1000)),
  'null',
  'true',
  '42',
  '-0',
  '1e1000',
  '"a string"',
  '[1,"two",null]',
  '[]'
]

function nested(depth: number): unknown {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = { [`level${i}`]: [value] }
  return value
}
