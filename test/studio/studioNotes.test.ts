import { readFileSync } from 'fs'
import type { EndpointSpec } from '../../src/endpointModel'
import { nearMiss } from '../../src/studio/studioNotes'
import { EXAMPLE_ENDPOINT } from './helpers'

/** The studio's hint for an event whose name is nearly one a mapping expects. */

const spec = JSON.parse(readFileSync(EXAMPLE_ENDPOINT, 'utf8')) as EndpointSpec

describe('nearMiss', () => {
  it.each([
    ['case', 'order completed', 'Order Completed'],
    ['spacing', 'Order_Completed', 'Order Completed'],
    ['a letter left out', 'Order Complete', 'Order Completed'],
    ['two letters swapped', 'Prodcut Viewed', 'Product Viewed']
  ])('names the mapping for %s', (_what, name, expected) => {
    expect(nearMiss(name, spec)).toMatch(new RegExp(`expects "${expected}", and this event is "${name}"`))
  })

  it.each(['Order Refunded', 'Signed Up', 'Cart Viewed'])(
    'stays quiet for a name that is only another event: %s',
    (name) => {
      expect(nearMiss(name, spec)).toBeUndefined()
    }
  )
})
