import { evaluateEvent, evaluateEvents, ISO_TO_UNIX_MS } from '../../src/endpointModel'
import { endpointOf, field } from './helpers'

const match = '.type == "track"'

describe('field extraction and types', () => {
  it('extracts each value, and reports missing-required and wrong-type', async () => {
    const endpoint = await endpointOf([
      {
        name: 'Track',
        schema: 'Custom',
        match,
        fields: [
          field('ID', '.properties.id', 'string', true),
          field('Price', '.properties.price', 'number'),
          field('Tags', '.properties.tags', 'array'),
          field('Query', '.properties.query', 'string', true),
          field('Note', '.properties.note', 'string')
        ]
      }
    ])
    const result = await evaluateEvent(endpoint, {
      type: 'track',
      properties: { id: 'p1', price: 'cheap', tags: ['a'] }
    })
    expect(result.fields.map((f) => [f.name, f.value])).toEqual([
      ['ID', 'p1'],
      ['Price', 'cheap'],
      ['Tags', ['a']],
      ['Query', null],
      ['Note', null]
    ])
    expect(result.problems.map((p) => [p.kind, p.field])).toEqual([
      ['wrong-type', 'Price'],
      ['missing-required', 'Query']
    ])
    expect(result.problems[0].message).toBe('Price should be a number, but .properties.price gives the string "cheap"')
    expect(result.problems[1].message).toContain('Query is required')
  })
})

describe('the types of the items of an array field', () => {
  const order = (products: unknown[]) => ({ type: 'track', event: 'Order Completed', properties: { products } })
  const PRODUCTS = '[.properties.products[]? | {id: .product_id, price: .price, quantity: .quantity}]'

  it("checks the Conversion schema's Products items as top-level fields are checked: a price in text is a wrong type", async () => {
    const endpoint = await endpointOf([
      { name: 'Order', schema: 'Conversion', match, fields: [field('Products', PRODUCTS, 'array', true)] }
    ])
    const [bad, good] = await evaluateEvents(endpoint, [
      order([
        { product_id: 'p1', price: 9.5, quantity: 1 },
        { product_id: 'p2', price: '18.99', quantity: 2 }
      ]),
      order([{ product_id: 'p1', price: 9.5, quantity: null }])
    ])
    // The schema's other required fields (Products.ID, Timestamp) are missing here: only Products is looked at.
    const products = (e: typeof bad) => e.problems.filter((p) => p.field === 'Products')
    expect(products(bad).map((p) => p.kind)).toEqual(['wrong-type'])
    expect(products(bad)[0].message).toBe(
      `Products: item 2's price should be a number, but ${PRODUCTS} gives the string "18.99"`
    )
    expect(products(good)).toEqual([])
  })

  it('calls a required per-item field with an item of no value missing, not a wrong type', async () => {
    const endpoint = await endpointOf([
      {
        name: 'Order',
        schema: 'Custom',
        match,
        fields: [field('Products.ID', '.properties.products[]? | .product_id', 'string', true)]
      }
    ])
    const result = await evaluateEvent(endpoint, order([{ product_id: 'p1' }, { price: 3 }]))
    expect(result.problems).toEqual([
      expect.objectContaining({
        kind: 'missing-required',
        field: 'Products.ID',
        message: 'Products.ID is required, but .properties.products[]? | .product_id gives null for item 2 of 2'
      })
    ])
  })

  it("takes the item types from the mapping's Name.Key fields, in any schema, and checks nothing without them", async () => {
    const endpoint = await endpointOf([
      {
        name: 'Custom',
        schema: 'Custom',
        match: '.event == "Custom"',
        fields: [field('Items', '.properties.products', 'array'), field('Items.Quantity', '.x', 'integer')]
      },
      { name: 'Plain', schema: 'Custom', match, fields: [field('Products', '.properties.products', 'array')] }
    ])
    const products = [{ product_id: 'p1', price: '18.99', quantity: 1.5 }]
    const [custom, plain] = await evaluateEvents(endpoint, [{ ...order(products), event: 'Custom' }, order(products)])
    expect(custom.problems.map((p) => p.message)).toEqual([
      "Items: item 1's quantity should be an integer, but .properties.products gives the number 1.5"
    ])
    expect(plain.problems).toEqual([])
  })
})

describe('the timestamp fix', () => {
  const timestamps = [
    '2025-01-15T10:00:00.123Z',
    '2025-01-15T10:00:00Z',
    '2025-01-15T10:00:00.123456Z',
    '2024-02-29T23:59:59.5Z'
  ]

  it.each(timestamps)('offers ISO_TO_UNIX_MS for %s, which jq turns into Date.parse', async (timestamp) => {
    const endpoint = await endpointOf([
      { name: 'T', schema: 'Custom', match, fields: [field('Timestamp', '.timestamp', 'number', true)] }
    ])
    const event = { type: 'track', timestamp }
    const result = await evaluateEvent(endpoint, event)
    expect(result.problems).toHaveLength(1)
    expect(result.problems[0]).toMatchObject({ kind: 'wrong-type', field: 'Timestamp' })
    const fixPath = `.timestamp | ${ISO_TO_UNIX_MS}`
    expect(result.problems[0].fix).toContain(`use the path ${fixPath} (`)
    expect(result.timestampMs).toBe(Date.parse(timestamp))

    const fixed = await endpointOf([
      { name: 'T', schema: 'Custom', match, fields: [field('Timestamp', fixPath, 'number', true)] }
    ])
    const again = await evaluateEvent(fixed, event)
    expect(again.problems).toEqual([])
    expect(again.fields[0].value).toBe(Date.parse(timestamp))
    expect(again.timestampMs).toBe(Date.parse(timestamp))
  })
})

describe('jq runtime errors', () => {
  it('is a jq-error problem on that event only', async () => {
    const endpoint = await endpointOf([
      { name: 'T', schema: 'Custom', match, fields: [field('Price', '.properties.price | tonumber', 'number')] }
    ])
    const results = await evaluateEvents(endpoint, [
      { type: 'track', properties: { price: '12.5' } },
      { type: 'track', properties: { price: 'abc' } },
      { type: 'track', properties: { price: '3' } }
    ])
    expect(results.map((r) => r.fields[0].value)).toEqual([12.5, undefined, 3])
    expect(results[0].problems).toEqual([])
    expect(results[2].problems).toEqual([])
    expect(results[1].problems).toHaveLength(1)
    expect(results[1].problems[0]).toMatchObject({ kind: 'jq-error', field: 'Price' })
    expect(results[1].problems[0].message).toMatch(/^Price: \.properties\.price \| tonumber failed: .*abc/)
  })

  it('reports a failing match criterion as a jq-error', async () => {
    const endpoint = await endpointOf([
      { name: 'T', schema: 'Custom', match: '.a.b == 1', fields: [field('X', '.x', 'any')] }
    ])
    const [bad, good] = await evaluateEvents(endpoint, [{ a: 'text' }, { a: { b: 1 }, x: 7 }])
    expect(bad.problems.map((p) => p.kind)).toEqual(['jq-error', 'unmapped'])
    expect(bad.problems[0].message).toMatch(/^mapping "T": its match criterion failed: Cannot index string/)
    expect(good.mapping?.name).toBe('T')
    expect(good.fields[0].value).toBe(7)
  })
})

describe('timestampMs', () => {
  it('comes from the mapped Timestamp, else from the event', async () => {
    const endpoint = await endpointOf([
      { name: 'Mapped', schema: 'Custom', match, fields: [field('Timestamp', '.properties.at', 'number')] },
      { name: 'Unmapped', schema: 'Custom', match: '.type == "page"', fields: [field('Name', '.name', 'string')] }
    ])
    const [mapped, seconds, fallback] = await evaluateEvents(endpoint, [
      { type: 'track', properties: { at: 1736935200123 }, timestamp: '2000-01-01T00:00:00Z' },
      { type: 'track', properties: { at: 1736935200 } },
      { type: 'page', name: 'Home', timestamp: '2025-01-15T10:00:00.123Z' }
    ])
    expect(mapped.timestampMs).toBe(1736935200123)
    expect(seconds.timestampMs).toBe(1736935200000)
    expect(fallback.timestampMs).toBe(Date.parse('2025-01-15T10:00:00.123Z'))
  })
})

describe('identity fields: an absent id is what the destination counts as absent', () => {
  it('counts "", blanks and null as no UserID or AnonymousId, and any other value as one', async () => {
    const endpoint = await endpointOf([
      {
        name: 'Identify',
        schema: 'Custom',
        match: '.type == "identify"',
        fields: [field('UserID', '.userId', 'string', true), field('AnonymousId', '.anonymousId', 'string', true)]
      }
    ])
    const result = await evaluateEvent(endpoint, { type: 'identify', userId: '', anonymousId: '  ' })
    expect(result.fields.map((f) => [f.name, f.present])).toEqual([
      ['UserID', false],
      ['AnonymousId', false]
    ])
    expect(result.problems.map((p) => [p.kind, p.field])).toEqual([
      ['missing-required', 'UserID'],
      ['missing-required', 'AnonymousId']
    ])
    expect(result.problems[0].message).toContain('a blank id is no id')
    const named = await evaluateEvent(endpoint, { type: 'identify', userId: 'u-1', anonymousId: 'a-1' })
    expect(named.problems).toEqual([])
  })

  it('leaves "" a value in fields that are not ids', async () => {
    const endpoint = await endpointOf([
      { name: 'Track', schema: 'Custom', match, fields: [field('Note', '.properties.note', 'string', true)] }
    ])
    const result = await evaluateEvent(endpoint, { type: 'track', properties: { note: '' } })
    expect(result.problems).toEqual([])
  })
})
