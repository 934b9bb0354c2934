import { isObject } from '@segment/actions-core'
import { daysOld, isBeyondRetention, RETENTION_DAYS } from './limits'

/**
 * Movable Ink's recommendations: things that do not make Movable Ink refuse an event, but make it less useful
 * or that Movable Ink asks customers not to send. Each function is pure, takes the Data object as it will be
 * sent (the mapped event), and returns warnings, each a stable code (what a program decides on) and one
 * sentence naming the property and the fix (what a person reads). An empty list means nothing to recommend.
 */

type JsonObject = Record<string, unknown>

/** Every code a recommendation can carry; what each means for an event's use is decided by whoever reads them. */
export const RECOMMENDATION_CODES = [
  'unnamed-track',
  'missing-product-id',
  'missing-product-url',
  'missing-order-total',
  'order-total-not-number',
  'missing-order-products',
  'order-product-not-object',
  'order-product-missing-id',
  'order-product-missing-price',
  'missing-search-query',
  'beyond-retention',
  'sensitive-property'
] as const

export type RecommendationCode = typeof RECOMMENDATION_CODES[number]

export interface Recommendation {
  code: RecommendationCode
  text: string
}

const say = (code: RecommendationCode, text: string): Recommendation => ({ code, text })

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false
  if (typeof value === 'string') return value.trim() !== ''
  return true
}

function isNumberLike(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value)
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))
}

/** Ecommerce events whose properties Movable Ink needs, from the classic destination's documentation. */
const PRODUCT_EVENTS = ['Product Viewed', 'Product Added']
const CONVERSION_EVENT = 'Order Completed'

function productProblems(name: string, properties: JsonObject): Recommendation[] {
  const problems: Recommendation[] = []
  if (!isPresent(properties.sku) && !isPresent(properties.product_id)) {
    const what = name === 'Product Viewed' ? 'viewed' : 'added'
    problems.push(
      say(
        'missing-product-id',
        `"${name}" has no "properties.sku" or "properties.product_id": Movable Ink needs one of them to know which product was ${what}; add it to the event (or map it into the Data field).`
      )
    )
  }
  if (!isPresent(properties.url)) {
    problems.push(
      say(
        'missing-product-url',
        `"${name}" has no "properties.url": Movable Ink needs the product page URL to use this event; add "url" to the event's properties.`
      )
    )
  }
  return problems
}

function totalProblems(total: unknown): Recommendation[] {
  if (!isPresent(total))
    return [
      say(
        'missing-order-total',
        `"${CONVERSION_EVENT}" has no "properties.total": Movable Ink needs the order total to record the conversion; add "total" to the event's properties.`
      )
    ]
  if (isNumberLike(total)) return []
  const shown = JSON.stringify(total).slice(0, 40)
  return [
    say(
      'order-total-not-number',
      `"${CONVERSION_EVENT}" has a "properties.total" that is not a number (${shown}): send the order total as a number.`
    )
  ]
}

function purchasedProductProblems(product: unknown, i: number): Recommendation[] {
  const where = `properties.products[${i}]`
  if (!isObject(product))
    return [
      say(
        'order-product-not-object',
        `"${CONVERSION_EVENT}" has a "${where}" that is not an object: each product must be an object with "sku" or "product_id" and "price".`
      )
    ]
  const problems: Recommendation[] = []
  if (!isPresent(product.sku) && !isPresent(product.product_id))
    problems.push(
      say(
        'order-product-missing-id',
        `"${CONVERSION_EVENT}" has no "${where}.sku" or "${where}.product_id": add one of them to each purchased product.`
      )
    )
  if (!isPresent(product.price))
    problems.push(
      say(
        'order-product-missing-price',
        `"${CONVERSION_EVENT}" has no "${where}.price": add the price to each purchased product.`
      )
    )
  return problems
}

function conversionProblems(properties: JsonObject): Recommendation[] {
  const products = properties.products
  if (!Array.isArray(products) || products.length === 0)
    return [
      ...totalProblems(properties.total),
      say(
        'missing-order-products',
        `"${CONVERSION_EVENT}" has no "properties.products" list: Movable Ink needs the purchased products, each with "sku" or "product_id" and "price"; add them to the event.`
      )
    ]
  return [...totalProblems(properties.total), ...products.flatMap(purchasedProductProblems)]
}

const SEARCH_EVENT = 'Products Searched'

/**
 * A track call without an `event` name: Segment's Track spec requires one, and Movable Ink's event mappings
 * tell events apart by it. A warning, not a refusal: Movable Ink decides what an unmatched event becomes.
 */
const UNNAMED_TRACK =
  'The track event has no "event" name, which Segment\'s Track spec requires: Movable Ink\'s event mappings tell events apart by it, so this one may match none of them. Send the name with the call (analytics.track("Name", ...)), or map one into the Data field.'

/**
 * The ecommerce requirements from Movable Ink's classic destination documentation: `Product Viewed` and
 * `Product Added` need `sku` or `product_id`, and `url`; `Order Completed` needs `total` and `products`, each
 * with `sku` or `product_id` and `price`. Without them Movable Ink cannot tie the event to a product or a
 * conversion in Stories/Signals. `Products Searched` needs `query`, which Movable Ink's Search schema requires;
 * and a track needs a name at all.
 */
export function findEcommerceProblems(data: JsonObject | undefined): Recommendation[] {
  const event = data ?? {}
  if (event.type !== undefined && event.type !== 'track') return []
  const name = typeof event.event === 'string' ? event.event.trim() : ''
  const properties = isObject(event.properties) ? event.properties : {}
  if (name === '' && event.type === 'track') return [say('unnamed-track', UNNAMED_TRACK)]
  if (PRODUCT_EVENTS.includes(name)) return productProblems(name, properties)
  if (name === CONVERSION_EVENT) return conversionProblems(properties)
  if (name === SEARCH_EVENT && !isPresent(properties.query))
    return [
      say(
        'missing-search-query',
        `"${SEARCH_EVENT}" has no "properties.query": Movable Ink's Search schema requires the search query; add "query" to the event's properties.`
      )
    ]
  return []
}

/**
 * Movable Ink keeps event data for personalisation for 30 days, and may not take older data at all (mParticle's
 * Movable Ink docs): whether such an event is refused or kept unused is not documented, so this warns either way.
 * (A missing or unreadable timestamp is an error, reported by findRequirementProblems, not here.)
 */
export function findRetentionProblems(data: JsonObject | undefined, now: number = Date.now()): Recommendation[] {
  const timestamp = data?.timestamp
  if (typeof timestamp !== 'string') return []
  const time = Date.parse(timestamp)
  if (Number.isNaN(time)) return []
  if (!isBeyondRetention(time, now)) return []
  return [
    say(
      'beyond-retention',
      `"timestamp" ${timestamp} is ${daysOld(
        time,
        now
      )} days old, and Movable Ink only keeps event data for ${RETENTION_DAYS} days (it may be refused, or kept but not used for personalisation). Send events as they happen; for lasting user attributes use Movable Ink's Segment Personas integration instead.`
    )
  ]
}

/**
 * Property names that look like sensitive personal data, which Movable Ink cannot process. Each entry is a
 * sequence of words that must appear, in order and adjacent, among the words of a property name (split on
 * camelCase, `_`, `-`, `.` and spaces), so that `creditCardNumber` matches "credit card" but `shipping` does
 * not match "pin".
 */
const SENSITIVE_NAMES: { words: string[]; what: string }[] = [
  { words: ['ssn'], what: 'a social security number' },
  { words: ['social', 'security'], what: 'a social security number' },
  { words: ['national', 'id'], what: 'a national identity number' },
  { words: ['national', 'insurance'], what: 'a national insurance number' },
  { words: ['passport'], what: 'a passport number' },
  { words: ['driver', 'license'], what: "a driver's license number" },
  { words: ['drivers', 'license'], what: "a driver's license number" },
  { words: ['driving', 'licence'], what: "a driver's license number" },
  { words: ['tax', 'id'], what: 'a tax identifier' },
  { words: ['credit', 'card'], what: 'a payment card number' },
  { words: ['debit', 'card'], what: 'a payment card number' },
  { words: ['card', 'number'], what: 'a payment card number' },
  { words: ['cc', 'number'], what: 'a payment card number' },
  { words: ['cvv'], what: 'a card security code' },
  { words: ['cvc'], what: 'a card security code' },
  { words: ['iban'], what: 'a bank account number' },
  { words: ['bank', 'account'], what: 'a bank account number' },
  { words: ['account', 'number'], what: 'an account number' },
  { words: ['routing', 'number'], what: 'a bank routing number' },
  { words: ['password'], what: 'a password' },
  { words: ['passwd'], what: 'a password' },
  { words: ['date', 'of', 'birth'], what: 'a date of birth' },
  { words: ['birth', 'date'], what: 'a date of birth' },
  { words: ['birthdate'], what: 'a date of birth' },
  { words: ['dob'], what: 'a date of birth' },
  { words: ['medical'], what: 'health information' },
  { words: ['diagnosis'], what: 'health information' },
  { words: ['health', 'condition'], what: 'health information' },
  { words: ['religion'], what: 'religious beliefs' },
  { words: ['ethnicity'], what: 'ethnic origin' },
  { words: ['sexual', 'orientation'], what: 'sexual orientation' },
  { words: ['biometric'], what: 'biometric data' }
]

/** The lower-case words of a property name: `creditCard_Number` → credit, card, number. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
}

function containsWords(words: string[], wanted: string[]): boolean {
  for (let i = 0; i + wanted.length <= words.length; i++) {
    if (wanted.every((word, j) => words[i + j] === word)) return true
  }
  return false
}

/**
 * Verdicts on property names already seen. Events of one source repeat the same few hundred names, and
 * splitting a name into words (three regular expressions) for every key of every event was most of what a
 * preview of many events cost; bounded, so that a stream of ever-new names cannot grow it without end.
 */
const KNOWN_NAMES = new Map<string, string | undefined>()
const MAX_KNOWN_NAMES = 10_000

/** What a property name looks like, when it looks like sensitive personal data. */
export function sensitiveKind(name: string): string | undefined {
  if (KNOWN_NAMES.has(name)) return KNOWN_NAMES.get(name)
  const words = nameWords(name)
  const kind = SENSITIVE_NAMES.find((entry) => containsWords(words, entry.words))?.what
  if (KNOWN_NAMES.size >= MAX_KNOWN_NAMES) KNOWN_NAMES.clear()
  KNOWN_NAMES.set(name, kind)
  return kind
}

const MAX_VISITED = 10_000

/**
 * Property names anywhere in the event (traits, properties, context, nested objects and lists) that look like
 * sensitive personal data, which Movable Ink cannot process. Values are never looked at or quoted.
 */
export function findSensitiveDataProblems(data: JsonObject | undefined): Recommendation[] {
  const found = new Map<string, string>()
  let visited = 0
  const walk = (value: unknown, path: string): void => {
    if (visited++ > MAX_VISITED) return
    if (Array.isArray(value)) {
      for (const item of value) walk(item, `${path}[]`)
      return
    }
    if (!isObject(value)) return
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key
      const kind = sensitiveKind(key)
      if (kind && !found.has(childPath)) found.set(childPath, kind)
      walk(child, childPath)
    }
  }
  walk(data ?? {}, '')
  return [...found].map(([path, kind]) =>
    say(
      'sensitive-property',
      `Property "${path}" looks like ${kind}, and Movable Ink cannot process sensitive personal data: leave it out of the Data field mapping, or add a destination filter in Segment (Filters > New Filter) that drops it.`
    )
  )
}

/** All of Movable Ink's recommendations for one event's Data, as warnings. */
export function findRecommendations(data: JsonObject | undefined, now: number = Date.now()): Recommendation[] {
  return [...findEcommerceProblems(data), ...findRetentionProblems(data, now), ...findSensitiveDataProblems(data)]
}
