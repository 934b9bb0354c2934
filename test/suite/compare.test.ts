import { canonical, compareEvent } from '../../src/suite/compare'
import type { Observed } from '../../src/suite/observed'
import { expectationOf } from '../../src/suite/observed'
import { differenceText } from '../../src/suite/suiteText'

/** An event's expectation against what preview found: each kind of difference, and only what an entry says. */

const observed: Observed = {
  line: 3,
  event: 'track "Product Viewed"',
  segment: 'sent',
  movableInk: {
    mapping: 'Product Viewed',
    refused: ['missing-required: ID'],
    why: { 'missing-required: ID': 'ID is required, but .properties.product_id gives no value for this event' },
    fields: [
      { name: 'ID', path: '.properties.product_id', value: null },
      { name: 'Price', path: '.properties.price', value: 79.99 },
      { name: 'Tags', path: '.properties.tags', value: { b: 2, a: 1 } }
    ]
  }
}

describe('compareEvent', () => {
  it('passes what --update would write for the same event', () => {
    expect(compareEvent(expectationOf(observed), observed)).toEqual([])
  })

  it('checks only what an entry says: a field left out, or no movableInk at all, is not compared', () => {
    expect(compareEvent({ segment: 'sent' }, observed)).toEqual([])
    const partial = {
      movableInk: { mapping: 'Product Viewed', refused: ['missing-required: ID'], fields: { Price: 79.99 } }
    }
    expect(compareEvent(partial, observed)).toEqual([])
  })

  it('names a field value that changed, with the jq path that produced it', () => {
    const expected = {
      movableInk: {
        mapping: 'Product Viewed',
        refused: ['missing-required: ID'],
        fields: { ID: 'sku-1', Price: 89.99 }
      }
    }
    expect(compareEvent(expected, observed)).toEqual([
      { what: 'movableInk.fields.ID', expected: '"sku-1"', actual: 'null', path: '.properties.product_id' },
      { what: 'movableInk.fields.Price', expected: '89.99', actual: '79.99', path: '.properties.price' }
    ])
  })

  it('says why Movable Ink now refuses an event it took, in its own words', () => {
    const [difference] = compareEvent({ movableInk: { mapping: 'Product Viewed' } }, observed)
    expect(difference).toEqual({
      what: 'movableInk.refused',
      expected: 'none',
      actual: 'missing-required: ID',
      note: 'missing-required: ID: ID is required, but .properties.product_id gives no value for this event'
    })
  })

  it("reports another mapping alone, without the other schema's fields", () => {
    const expected = {
      movableInk: { mapping: 'Product Added', refused: ['missing-required: ID'], fields: { ID: 'x' } }
    }
    expect(compareEvent(expected, observed)).toEqual([
      { what: 'movableInk.mapping', expected: '"Product Added"', actual: '"Product Viewed"' }
    ])
  })

  it('reports a Segment side that refuses, with the rules, and a Movable Ink side that then receives nothing', () => {
    const refused: Observed = {
      line: 3,
      event: observed.event,
      segment: { refused: ['identity', 'timestamp'] },
      segmentWhy: { identity: 'Movable Ink requires a "userId"…', timestamp: 'Movable Ink requires a "timestamp"…' }
    }
    const differences = compareEvent({ segment: 'sent', movableInk: { mapping: 'Product Viewed' } }, refused)
    expect(differences).toEqual([
      {
        what: 'segment',
        expected: 'sent',
        actual: 'refused (identity, timestamp)',
        note: 'identity: Movable Ink requires a "userId"…; timestamp: Movable Ink requires a "timestamp"…'
      },
      { what: 'movableInk', expected: '"Product Viewed"', actual: 'nothing (not sent)' }
    ])
    expect(compareEvent({ segment: { refused: ['timestamp', 'identity'] } }, refused)).toEqual([])
  })

  it('compares values as JSON, whatever their key order, and tells an event that moved', () => {
    expect(canonical({ b: [1, { d: 1, c: 2 }], a: null })).toBe(canonical({ a: null, b: [1, { c: 2, d: 1 }] }))
    const moved = compareEvent({ line: 2, event: 'identify' }, observed)
    expect(moved.map((d) => `${d.what}: ${d.expected} → ${d.actual}`)).toEqual([
      'event: identify → track "Product Viewed"',
      'line: 2 → 3'
    ])
  })

  it('fails an event with no entry', () => {
    expect(compareEvent(undefined, observed)).toEqual([expect.objectContaining({ what: 'expectation' })])
  })
})

describe('a field whose value is a list or an object', () => {
  const product = (n: number, price: unknown) => ({
    id: `507f1f77bcf86cd79943901${n}`,
    url: `https://shop.example.com/products/trail-runner-${n}?utm_source=newsletter&utm_medium=email`,
    price
  })
  const withProducts = (products: unknown): Observed => ({
    line: 1,
    event: 'track "Order Completed"',
    segment: 'sent',
    movableInk: {
      mapping: 'Order Completed',
      refused: [],
      why: {},
      fields: [{ name: 'Products', path: '.p', value: products }]
    }
  })
  const expectedProducts = [product(1, 10), product(2, 20), product(3, 30)]
  const expected = { movableInk: { mapping: 'Order Completed', fields: { Products: expectedProducts } } }

  it('names only the items and keys that differ, each whole, and says missing for a value that is not there', () => {
    const { id, url } = product(3, 30)
    const actual = [product(1, 10), product(2, '20.00'), { id, url }]
    const [difference] = compareEvent(expected, withProducts(actual))
    expect(difference.parts).toEqual([
      { at: 'item 2, price', expected: '20', actual: '"20.00"' },
      { at: 'item 3, price', expected: '30', actual: 'missing' }
    ])
    expect(differenceText(difference)).toBe(
      'Movable Ink field Products (.p): item 2, price: expected 20, actual "20.00"; item 3, price: expected 30, actual missing'
    )
  })

  it('names an item added or gone, and counts the places beyond the first five', () => {
    const [gone] = compareEvent(expected, withProducts(expectedProducts.slice(0, 2)))
    expect(differenceText(gone)).toBe(
      `Movable Ink field Products (.p): item 3: expected ${JSON.stringify(product(3, 30))}, actual missing`
    )
    const many = expectedProducts.map((p) => ({ ...p, id: 'x', url: 'y' }))
    const [changed] = compareEvent(expected, withProducts(many))
    expect(changed.parts).toHaveLength(5)
    expect(differenceText(changed)).toMatch(/; and 1 more difference$/)
  })
})
