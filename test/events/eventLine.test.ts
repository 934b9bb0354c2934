import { eventLine } from '../../src/events/eventLine'
import { toItem } from '../../src/events/items'
import type { EventItem } from '../../src/events/items'

describe('an event as one line of JSON Lines', () => {
  it('is JSON.stringify of the event when every number fits', () => {
    const item = toItem('{\n  "type": "track",\n  "properties": {"a": [1, {"b": null}]}\n}', 'paste', 1, {
      unsafeIntegers: true
    }) as EventItem
    expect(eventLine(item)).toBe('{"type":"track","properties":{"a":[1,{"b":null}]}}')
  })

  it('writes integers beyond 2^53 with the digits they were pasted with, wherever they are', () => {
    const text =
      '{"type":"track","properties":{"order_id":12345678901234567890,"products":[{"sku":"1"},{"sku":-98765432109876543210}],"n":5}}'
    const item = toItem(text, 'paste', 1, { unsafeIntegers: true }) as EventItem
    expect(JSON.stringify(item.event)).not.toContain('12345678901234567890')
    const line = eventLine(item)
    expect(line).toBe(text)
    expect(JSON.parse(line)).toEqual(item.event)
  })
})
