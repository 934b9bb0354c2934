import { ISO_TO_UNIX_MS } from '../../src/endpointModel'
import { schemaFieldsFor } from '../../src/studio/schemaFields'

/** The fields a schema brings in the studio, with paths guessed from the selected event. */

describe('schemaFieldsFor', () => {
  it('fills paths from the standard Segment properties the event has, and says which it found', () => {
    const order = {
      type: 'track',
      event: 'Order Completed',
      timestamp: '2025-01-15T10:00:00.000Z',
      properties: { checkout_id: 'c-1', total: 20, products: [{ sku: 'S-1', price: 10 }] }
    }
    const conversion = schemaFieldsFor(order).Conversion
    expect(conversion.map((f) => [f.name, f.path, f.required, f.found])).toEqual([
      [
        'Products',
        expect.stringMatching(/^\[\.properties\.products\[\]\? \| \{id: \(\.product_id \/\/ \.sku\)/),
        true,
        true
      ],
      // No product_id in the products: the sku is the id there.
      ['Products.ID', '.properties.products[].sku', true, true],
      ['Timestamp', `.timestamp | ${ISO_TO_UNIX_MS}`, true, true],
      ['ID', '.properties.checkout_id', false, true],
      ['Revenue', '.properties.total', false, true],
      ['Channel', '.channel', false, false],
      ['Timezone', '.context.timezone', false, false]
    ])
  })

  it('gives the usual place, marked as not found, when the event has none of the properties', () => {
    const product = schemaFieldsFor({ type: 'track', event: 'Product Viewed', properties: {} }).Product
    expect(product.find((f) => f.name === 'URL')).toEqual({
      name: 'URL',
      path: '.properties.url',
      type: 'string',
      required: false,
      found: false
    })
    expect(product.filter((f) => f.required).map((f) => f.name)).toEqual(['ID', 'Timestamp'])
  })
})
