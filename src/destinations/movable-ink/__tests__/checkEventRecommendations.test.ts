import {
  findEcommerceProblems,
  findRecommendations,
  findRetentionProblems,
  findSensitiveDataProblems,
  nameWords,
  sensitiveKind
} from '../checkEventRecommendations'

/** Each recommendation's code, what programs decide on. */
const codes = (found: { code: string }[]) => found.map((r) => r.code)
const texts = (found: { text: string }[]) => found.map((r) => r.text)

const NOW = Date.parse('2024-06-30T12:00:00.000Z')
const track = (event: string, properties: Record<string, unknown>) => ({
  type: 'track',
  event,
  userId: 'u1',
  timestamp: '2024-06-30T11:00:00.000Z',
  properties
})

describe('findEcommerceProblems', () => {
  it.each(['Product Viewed', 'Product Added'])('%s needs sku or product_id, and url', (name) => {
    expect(findEcommerceProblems(track(name, { sku: 'A1', url: 'https://shop.example/a1' }))).toEqual([])
    expect(findEcommerceProblems(track(name, { product_id: 'p1', url: 'https://shop.example/a1' }))).toEqual([])
    const found = findEcommerceProblems(track(name, {}))
    expect(codes(found)).toEqual(['missing-product-id', 'missing-product-url'])
    const problems = texts(found)
    expect(problems[0]).toContain('"properties.sku" or "properties.product_id"')
    expect(problems[1]).toContain('"properties.url"')
    expect(problems[1]).toMatch(/add "url"/)
  })

  it('Order Completed needs total and products, each with sku or product_id and price', () => {
    const good = track('Order Completed', {
      total: 30,
      products: [
        { sku: 'A', price: 10 },
        { product_id: 'B', price: 20 }
      ]
    })
    expect(findEcommerceProblems(good)).toEqual([])
    const none = findEcommerceProblems(track('Order Completed', {}))
    expect(codes(none)).toEqual(['missing-order-total', 'missing-order-products'])
    expect(texts(none)).toEqual([
      expect.stringContaining('"properties.total"'),
      expect.stringContaining('"properties.products" list')
    ])
    const found = findEcommerceProblems(
      track('Order Completed', { total: 'lots', products: [{ price: 1 }, { sku: 'x' }, 3] })
    )
    expect(codes(found)).toEqual([
      'order-total-not-number',
      'order-product-missing-id',
      'order-product-missing-price',
      'order-product-not-object'
    ])
    expect(texts(found)).toEqual([
      expect.stringContaining('not a number'),
      expect.stringContaining('"properties.products[0].sku" or "properties.products[0].product_id"'),
      expect.stringContaining('"properties.products[1].price"'),
      expect.stringContaining('"properties.products[2]" that is not an object')
    ])
  })

  it('warns of a track without an event name, and of Products Searched without a query', () => {
    const unnamed = { type: 'track', userId: 'u1', timestamp: '2024-06-30T11:00:00.000Z', properties: {} }
    for (const event of [unnamed, { ...unnamed, event: '  ' }])
      expect(findEcommerceProblems(event)).toEqual([
        { code: 'unnamed-track', text: expect.stringContaining('no "event" name') }
      ])
    expect(texts(findEcommerceProblems(track('Products Searched', {})))).toEqual([
      expect.stringContaining('"Products Searched" has no "properties.query"')
    ])
    expect(findEcommerceProblems(track('Products Searched', { query: '' }))).toHaveLength(1)
    expect(findEcommerceProblems(track('Products Searched', { query: 'blue shoes' }))).toEqual([])
    // An event of unknown type is not called a track without a name.
    expect(findEcommerceProblems({ userId: 'u1' })).toEqual([])
  })

  it('ignores other events and event types', () => {
    expect(findEcommerceProblems(track('Signed Up', {}))).toEqual([])
    expect(findEcommerceProblems({ type: 'page', name: 'Product Viewed' })).toEqual([])
    expect(findEcommerceProblems(undefined)).toEqual([])
  })
})

describe('findRetentionProblems', () => {
  it('warns about events older than 30 days, naming the timestamp', () => {
    expect(findRetentionProblems({ timestamp: '2024-06-01T12:00:00.000Z' }, NOW)).toEqual([])
    const [{ code, text: warning }] = findRetentionProblems({ timestamp: '2024-05-01T12:00:00.000Z' }, NOW)
    expect(code).toBe('beyond-retention')
    expect(warning).toContain('"timestamp" 2024-05-01T12:00:00.000Z is 60 days old')
    expect(warning).toContain('30 days')
  })

  it('leaves missing or unreadable timestamps to the requirement checks', () => {
    expect(findRetentionProblems({}, NOW)).toEqual([])
    expect(findRetentionProblems({ timestamp: 'yesterday' }, NOW)).toEqual([])
  })
})

describe('findSensitiveDataProblems', () => {
  it('splits property names into words', () => {
    expect(nameWords('creditCard_Number')).toEqual(['credit', 'card', 'number'])
    expect(nameWords('userSSN')).toEqual(['user', 'ssn'])
    expect(nameWords('date-of-birth')).toEqual(['date', 'of', 'birth'])
  })

  it('recognises sensitive names without matching inside ordinary words', () => {
    expect(sensitiveKind('creditCardNumber')).toBe('a payment card number')
    expect(sensitiveKind('ssn')).toBe('a social security number')
    expect(sensitiveKind('date_of_birth')).toBe('a date of birth')
    for (const name of ['shipping', 'session', 'lossnumber', 'email', 'phone', 'cardinal', 'password_reset_sent']) {
      expect([name, sensitiveKind(name)]).toEqual([name, name === 'password_reset_sent' ? 'a password' : undefined])
    }
  })

  it('names the path of each sensitive property, anywhere in the event, and never its value', () => {
    const found = findSensitiveDataProblems({
      traits: { email: 'a@example.com', ssn: '123-45-6789' },
      properties: { payment: { creditCardNumber: '4111111111111111' }, products: [{ cvv: '123' }, { cvv: '456' }] },
      context: { traits: { dateOfBirth: '1990-01-01' } }
    })
    expect(new Set(codes(found))).toEqual(new Set(['sensitive-property']))
    const problems = texts(found)
    expect(problems).toHaveLength(4)
    expect(problems[0]).toContain('Property "traits.ssn" looks like a social security number')
    expect(problems[1]).toContain('"properties.payment.creditCardNumber"')
    expect(problems[2]).toContain('"properties.products[].cvv"')
    expect(problems[3]).toContain('"context.traits.dateOfBirth"')
    expect(problems.join(' ')).not.toMatch(/123-45-6789|4111|1990/)
    expect(problems[0]).toContain('Filters')
  })
})

it('findRecommendations gathers every warning', () => {
  const event = { ...track('Product Viewed', { sku: 'A', passport: 'X' }), timestamp: '2020-01-01T00:00:00Z' }
  const warnings = findRecommendations(event, NOW)
  expect(codes(warnings)).toEqual(['missing-product-url', 'beyond-retention', 'sensitive-property'])
})
