import { transform } from '@segment/actions-core'
import { findRequirementProblems, timestampMapping, timestampProblem } from '../checkEventRequirements'

/** Events as they arrive: parsed from JSON, so a field left out is not there at all. */
const json = (event: Record<string, unknown>) => JSON.parse(JSON.stringify(event)) as Record<string, unknown>
const ORIGINAL = '2024-05-01T11:59:58.000Z'
const OWN = '2024-05-01T12:00:00.000Z'

describe('the timestamp rule, with the times an event carries besides its timestamp', () => {
  it.each([
    ['missing', json({ originalTimestamp: ORIGINAL, userId: 'u' }), false],
    ['unusable', json({ timestamp: 'yesterday', originalTimestamp: ORIGINAL, userId: 'u' }), true],
    ['null', json({ timestamp: null, originalTimestamp: ORIGINAL, userId: 'u' }), true]
  ])(
    'the mapping shown for a %s timestamp makes the event pass, and keeps the timestamp of events that have one',
    (_name, event, replace) => {
      const problem = timestampProblem(event) ?? ''
      const mapping = timestampMapping('originalTimestamp', replace)
      expect(problem).toContain(mapping)
      const data = transform({ data: JSON.parse(mapping) }, event).data as Record<string, unknown>
      expect(data.timestamp).toBe(ORIGINAL)
      expect(findRequirementProblems(data)).toEqual([])
      if (!replace) {
        const timed = transform({ data: JSON.parse(mapping) }, json({ timestamp: OWN, originalTimestamp: ORIGINAL }))
        expect((timed.data as Record<string, unknown>).timestamp).toBe(OWN)
      }
    }
  )

  it('prefers originalTimestamp, then receivedAt, then sentAt, and only a time that is a date', () => {
    const times = { originalTimestamp: 'soon', receivedAt: '2024-05-01T12:00:01Z', sentAt: '2024-05-01T12:00:00Z' }
    expect(timestampProblem(times)).toContain('The event has "receivedAt" (2024-05-01T12:00:01Z)')
    expect(timestampProblem({ sentAt: times.sentAt })).toContain('"$.sentAt"')
    expect(timestampProblem({ originalTimestamp: 'soon' })).toMatch(/missing: send events with their timestamp/)
  })

  it("says Engage's real calls carry a timestamp only when an Engage call has none at all", () => {
    const engage = { messageId: 'personas_2aBc', type: 'identify', traits: { first_time_shopper: true } }
    expect(timestampProblem(engage)).toContain(
      "but it is missing. This is an Engage (Personas) call: Engage's real calls carry a timestamp"
    )
    expect(timestampProblem({ context: { personas: { computation_key: 'k' } } })).toContain('Engage')
    expect(timestampProblem({ ...engage, timestamp: 'yesterday' })).not.toContain('Engage')
    expect(timestampProblem({ messageId: 'ajs-personas_2aBc' })).not.toContain('Engage')
  })
})

describe('the identity rule: "", null, blanks and missing are no id', () => {
  it.each([[''], ['   '], [null], [undefined]])('userId %p with no anonymousId is refused', (userId) => {
    expect(findRequirementProblems({ timestamp: OWN, userId })).toEqual([
      expect.stringContaining('"userId" or an "anonymousId"')
    ])
  })

  it('accepts a string or a number id, and refuses other values', () => {
    expect(findRequirementProblems({ timestamp: OWN, userId: 0 })).toEqual([])
    expect(findRequirementProblems({ timestamp: OWN, anonymousId: 'a' })).toEqual([])
    expect(findRequirementProblems({ timestamp: OWN, userId: {} })).toHaveLength(1)
  })
})
