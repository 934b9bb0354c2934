import { compileEndpoint, EndpointFileError, evaluateEvent, evaluateEvents } from '../../src/endpointModel'
import { field } from './helpers'

const fields = [field('Timestamp', '.timestamp', 'string')]
const mappings = [{ name: 'Orders', schema: 'Custom', match: '.event == "Order Completed"', fields }]

function endpointWith(notForMovableInk: unknown) {
  return compileEndpoint({ endpointKey: 'test-key', mappings, notForMovableInk })
}

describe('events not for Movable Ink (notForMovableInk)', () => {
  it('covers events by name or by match criterion, each with its reason, apart from unmapped ones', async () => {
    const endpoint = await endpointWith([
      { event: 'Cart Viewed', reason: 'no campaign uses carts' },
      { match: '.type == "screen"', reason: 'app screens are not used' }
    ])
    const [cart, screen, page, other] = await evaluateEvents(endpoint, [
      { type: 'track', event: 'Cart Viewed' },
      { type: 'screen', name: 'Home' },
      { type: 'page', name: 'Cart Viewed' },
      { type: 'track', event: 'Product Clicked' }
    ])
    expect(cart.notForMovableInk).toEqual({ index: 0, reason: 'no campaign uses carts', by: 'event "Cart Viewed"' })
    expect(cart.problems).toEqual([
      {
        kind: 'not-for-movable-ink',
        message:
          'Not for Movable Ink, on purpose (the endpoint file\'s notForMovableInk, event "Cart Viewed"): no campaign uses carts'
      }
    ])
    expect(screen.notForMovableInk).toMatchObject({ index: 1, by: 'match .type == "screen"' })
    // A page's name counts as its event name, as the studio and coverage name it.
    expect(page.notForMovableInk).toMatchObject({ index: 0 })
    expect(other.notForMovableInk).toBeUndefined()
    expect(other.problems[0].kind).toBe('unmapped')
  })

  it('warns when a mapping takes an event the file says is not for Movable Ink, and the mapping wins', async () => {
    const endpoint = await endpointWith([{ event: 'Order Completed', reason: 'old decision' }])
    const order = await evaluateEvent(endpoint, { type: 'track', event: 'Order Completed', timestamp: 't' })
    expect(order.mapping?.name).toBe('Orders')
    expect(order.notForMovableInk).toBeUndefined()
    expect(order.problems).toEqual([])
    expect(order.warnings).toEqual([expect.stringMatching(/marks event "Order Completed" not for Movable Ink/)])
    expect(order.warningCodes).toEqual(['decision-overridden'])
  })

  it("warns of a decision's criterion that fails on an event, which then stays unmapped", async () => {
    const endpoint = await endpointWith([{ match: '.properties.n | tonumber > 1', reason: 'small orders' }])
    const result = await evaluateEvent(endpoint, { type: 'track', event: 'X', properties: { n: 'many' } })
    expect(result.notForMovableInk).toBeUndefined()
    expect(result.problems[0].kind).toBe('unmapped')
    expect(result.warnings).toEqual([expect.stringMatching(/^notForMovableInk\[0\]: its match criterion failed/)])
    expect(result.warningCodes).toEqual(['decision-criterion-failed'])
  })

  it('refuses a malformed list with every mistake at once, after the mappings', async () => {
    const error = await endpointWith([
      { event: 'A' },
      { event: 'B', match: '.x', reason: 'r' },
      { match: '.type ==', reason: 'r' },
      { event: 'A', reason: 'again', why: 'typo' }
    ]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EndpointFileError)
    const wheres = (error as EndpointFileError).problems.map((p) => `${p.where}: ${p.message.split('\n')[0]}`)
    expect(wheres).toEqual([
      'notForMovableInk[0].reason: is missing: give a non-empty string',
      'notForMovableInk[1]: give either "event" (an event name) or "match" (a jq match criterion), not both',
      expect.stringMatching(/^notForMovableInk\[2\]\.match: is not valid jq/),
      'notForMovableInk[3].why: unknown property "why" (allowed: event, match, reason)',
      'notForMovableInk[3].event: "A" is already decided above'
    ])
    await expect(endpointWith({ event: 'A' })).rejects.toThrow(/notForMovableInk: must be an array of decisions/)
  })
})
