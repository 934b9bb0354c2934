import { toItem } from '../../src/events/items'
import { pathText, unsafeIntegers, unsafeIntegerWarning } from '../../src/events/largeIntegers'

describe('integers JSON numbers cannot hold, read from the raw text', () => {
  it('finds each integer beyond 2^53 with its path, as written and as a parser reads it', () => {
    const text =
      '{"type":"track","properties":{"order_id":12345678901234567890,"total":99.5,"products":[{"sku":"12345678901234567890","qty":1},{"sku":-98765432109876543210}],"safe":9007199254740992,"odd key":9007199254740993}}'
    expect(unsafeIntegers(text)).toEqual([
      { path: ['properties', 'order_id'], written: '12345678901234567890', read: 12345678901234567000 },
      { path: ['properties', 'products', 1, 'sku'], written: '-98765432109876543210', read: -98765432109876543000 },
      { path: ['properties', 'odd key'], written: '9007199254740993', read: 9007199254740992 }
    ])
  })

  it('passes over digits in strings and keys, fractions and exponents, and text without a long number', () => {
    expect(unsafeIntegers('{"12345678901234567890":"12345678901234567890","x":1234567890123456789.5}')).toEqual([])
    expect(unsafeIntegers('{"x":12345678901234567890e2,"y":[1,2,3]}')).toEqual([])
    expect(unsafeIntegers('{"escaped \\" ke,y":{"a":[0,[1,2],99999999999999999999]}}')).toEqual([
      { path: ['escaped " ke,y', 'a', 2], written: '99999999999999999999', read: 100000000000000000000 }
    ])
  })

  it('names paths as people read them', () => {
    expect(pathText(['properties', 'products', 0, 'sku'])).toBe('properties.products[0].sku')
    expect(pathText(['properties', 'order id'])).toBe('properties["order id"]')
  })

  it('warns naming the field, what it becomes, and the fix', () => {
    const [found] = unsafeIntegers('{"properties":{"order_id":12345678901234567890}}')
    expect(unsafeIntegerWarning(found)).toBe(
      'properties.order_id is 12345678901234567890, beyond 2^53, the largest integer a JSON number holds exactly: ' +
        "it is read as 12345678901234567000, here as in Segment's pipeline. Have the source send it as a string " +
        '("12345678901234567890"); a "| tostring" in the event mapping cannot bring the lost digits back.'
    )
  })

  it('goes with the event item when asked for, relative to the event in a failed-events record', () => {
    const shown = { unsafeIntegers: true }
    const text = '{"type":"track","properties":{"id":12345678901234567890}}'
    expect(toItem(text, 'a.jsonl', 1, shown)).toMatchObject({
      kind: 'event',
      unsafeIntegers: [{ path: ['properties', 'id'] }]
    })
    const record = '{"movableInkFailure":{"attempts":12345678901234567890},"event":{"userId":12345678901234567891}}'
    expect(toItem(record, 'failed.jsonl', 1, shown)).toMatchObject({ unsafeIntegers: [{ path: ['userId'] }] })
    expect(toItem('{"type":"track"}', 'a.jsonl', 1, shown)).not.toHaveProperty('unsafeIntegers')
    // send does not ask: the scan costs about half a JSON.parse.
    expect(toItem(text, 'a.jsonl', 1)).not.toHaveProperty('unsafeIntegers')
  })
})
