/**
 * The benchmark's events: deterministic (a seeded generator), realistic Segment events that pass every check
 * of both destinations. Mostly ecommerce track events of about 1 KB (Product Viewed, Product Added, Order
 * Completed with its products), plus identify calls with traits. Every contender gets exactly the same events:
 * each process rebuilds the pool from the same seed (the stand-in's seeded generator, mulberry32).
 */

import { seededRandom } from '../../src/io/seededRandom'

export type SegmentEvent = Record<string, unknown> & { type: string; timestamp: string; messageId: string }

const PRODUCTS = [
  { name: 'Merino Wool Crew Sweater', category: 'Apparel/Knitwear', brand: 'Northfold', price: 89.0 },
  { name: 'Trail Runner GTX', category: 'Footwear/Running', brand: 'Cairn', price: 149.95 },
  { name: 'Insulated Steel Bottle 750 ml', category: 'Outdoor/Hydration', brand: 'Ridgeline', price: 32.5 },
  { name: 'Packable Down Jacket', category: 'Apparel/Outerwear', brand: 'Northfold', price: 219.0 },
  { name: 'Organic Cotton Tee', category: 'Apparel/Tops', brand: 'Field & Loom', price: 24.0 },
  { name: 'Ultralight Daypack 22L', category: 'Outdoor/Bags', brand: 'Cairn', price: 74.99 },
  { name: 'Wireless Sport Earbuds', category: 'Electronics/Audio', brand: 'Pulse', price: 129.0 },
  { name: 'Ceramic Pour-Over Set', category: 'Home/Kitchen', brand: 'Kiln House', price: 46.0 }
]
const FIRST = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Ken', 'Radia', 'Edsger', 'Frances']
const LAST = [
  'Lovelace',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Turing',
  'Liskov',
  'Thompson',
  'Perlman',
  'Dijkstra',
  'Allen'
]
const CITIES = [
  { city: 'Portland', state: 'OR', country: 'US', postalCode: '97205' },
  { city: 'Austin', state: 'TX', country: 'US', postalCode: '78701' },
  { city: 'Brooklyn', state: 'NY', country: 'US', postalCode: '11201' },
  { city: 'Denver', state: 'CO', country: 'US', postalCode: '80202' }
]
const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148'
]

const BASE_TIME = Date.UTC(2025, 4, 1, 12, 0, 0)

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]
}

function hex(random: () => number, length: number): string {
  let text = ''
  while (text.length < length)
    text += Math.floor(random() * 0x100000000)
      .toString(16)
      .padStart(8, '0')
  return text.slice(0, length)
}

function uuid(random: () => number): string {
  const h = hex(random, 32)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

function sku(index: number): string {
  return `SKU-${(10000 + index * 137).toString(36).toUpperCase()}`
}

function product(random: () => number, position: number) {
  const index = Math.floor(random() * PRODUCTS.length)
  const p = PRODUCTS[index]
  return {
    product_id: `prod_${hex(random, 10)}`,
    sku: sku(index),
    name: p.name,
    category: p.category,
    brand: p.brand,
    variant: pick(random, ['Charcoal', 'Forest', 'Sand', 'Navy']),
    price: p.price,
    quantity: 1 + Math.floor(random() * 3),
    position,
    url: `https://shop.example.com/products/${p.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    image_url: `https://cdn.shop.example.com/img/${hex(random, 12)}.jpg`
  }
}

function context(random: () => number, path: string) {
  return {
    library: { name: 'analytics.js', version: 'next-1.70.0' },
    ip: `203.0.113.${1 + Math.floor(random() * 250)}`,
    locale: 'en-US',
    userAgent: pick(random, USER_AGENTS),
    page: {
      path,
      referrer: 'https://www.google.com/',
      title: 'Northfold Outfitters',
      url: `https://shop.example.com${path}`
    }
  }
}

interface CommonFields {
  messageId: string
  timestamp: string
  sentAt: string
  userId: string
  anonymousId: string
}

/** What every event has, and the user's number (an identify call derives its traits from it). */
function commonFields(random: () => number, i: number): { userNumber: number; common: CommonFields } {
  const userNumber = Math.floor(random() * 50_000)
  const userId = `user_${userNumber.toString().padStart(6, '0')}`
  const anonymousId = uuid(random)
  const timestamp = new Date(BASE_TIME + i * 1_000 + Math.floor(random() * 1000)).toISOString()
  return {
    userNumber,
    common: { messageId: `ajs-next-${hex(random, 32)}`, timestamp, sentAt: timestamp, userId, anonymousId }
  }
}

function identifyEvent(random: () => number, common: CommonFields, userNumber: number): SegmentEvent {
  const first = pick(random, FIRST)
  const last = pick(random, LAST)
  return {
    ...common,
    type: 'identify',
    traits: {
      email: `${first}.${last}.${userNumber}@example.com`.toLowerCase(),
      firstName: first,
      lastName: last,
      phone: `+1-555-01${String(userNumber % 100).padStart(2, '0')}`,
      address: { street: `${1 + (userNumber % 900)} Main Street`, ...pick(random, CITIES) },
      createdAt: new Date(BASE_TIME - userNumber * 86_400).toISOString(),
      plan: pick(random, ['free', 'plus', 'pro']),
      lifetime_value: Math.round(random() * 200_000) / 100,
      email_opt_in: random() < 0.7,
      favorite_categories: ['Apparel', pick(random, ['Outdoor', 'Footwear', 'Home', 'Electronics'])]
    },
    context: context(random, '/account')
  }
}

function orderCompletedEvent(random: () => number, common: CommonFields): SegmentEvent {
  const products = [product(random, 1), product(random, 2)]
  const subtotal = Math.round(products.reduce((sum, p) => sum + p.price * p.quantity, 0) * 100) / 100
  return {
    ...common,
    type: 'track',
    event: 'Order Completed',
    properties: {
      checkout_id: `chk_${hex(random, 12)}`,
      order_id: `ord_${hex(random, 12)}`,
      affiliation: 'Online Store',
      total: Math.round(subtotal * 1.08 * 100) / 100,
      subtotal,
      revenue: subtotal,
      shipping: 0,
      tax: Math.round(subtotal * 0.08 * 100) / 100,
      discount: 0,
      coupon: 'SPRING10',
      currency: 'USD',
      products
    },
    context: context(random, '/checkout/complete')
  }
}

/** Product Viewed, or Product Added (which carries a cart id). */
function productEvent(random: () => number, common: CommonFields, added: boolean): SegmentEvent {
  const p = product(random, 1)
  return {
    ...common,
    type: 'track',
    event: added ? 'Product Added' : 'Product Viewed',
    properties: {
      ...p,
      currency: 'USD',
      value: p.price,
      cart_id: added ? `cart_${hex(random, 12)}` : undefined,
      list_id: 'spring-collection',
      in_stock: true,
      rating: Math.round((3 + random() * 2) * 10) / 10,
      reviews_count: Math.floor(random() * 900)
    },
    context: context(random, `/products/${p.sku.toLowerCase()}`)
  }
}

/** Event `i` of the pool built from `random`: 4 in 5 are track events, 1 in 5 an identify call. */
function makeEvent(random: () => number, i: number): SegmentEvent {
  const { userNumber, common } = commonFields(random, i)
  const kind = i % 5
  if (kind === 4) return identifyEvent(random, common, userNumber)
  if (kind === 3) return orderCompletedEvent(random, common)
  return productEvent(random, common, kind === 2)
}

/** `count` events from `seed`, already through a JSON round trip (as the runtime receives them). */
export function makeEvents(count: number, seed = 20250501): SegmentEvent[] {
  const random = seededRandom(seed)
  const events: SegmentEvent[] = []
  for (let i = 0; i < count; i++) events.push(JSON.parse(JSON.stringify(makeEvent(random, i))) as SegmentEvent)
  return events
}

/**
 * Event `i` of an endless stream as one JSON line (no pool kept in memory): for the JSON Lines file that
 * `movable-ink send` reads. The same shapes and sizes as the pool.
 */
export function* eventLines(count: number, seed = 20250501): Generator<string> {
  const random = seededRandom(seed)
  for (let i = 0; i < count; i++) yield JSON.stringify(makeEvent(random, i)) + '\n'
}
