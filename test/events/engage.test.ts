import { describeMembership, engageMembership } from '../../src/events/engage'

const personas = (computation_class: string, computation_key: string) => ({
  personas: { computation_class, computation_id: 'id_1', computation_key, namespace: 'spa_1', space_id: 'spa_1' }
})

describe('engageMembership', () => {
  it('reads a Trait Computed track by its trait_key, and an Audience Exited without its property by its name', () => {
    const trait = { type: 'track', event: 'Trait Computed', properties: { trait_key: 'ltv', ltv: 120.5 } }
    expect(engageMembership(trait)).toEqual({
      kind: 'computed trait',
      key: 'ltv',
      keyFrom: 'properties.trait_key',
      value: 120.5,
      valueFrom: 'properties.ltv'
    })
    const exited = { type: 'track', event: 'Audience Exited', properties: { audience_key: 'vip' } }
    expect(engageMembership(exited)).toMatchObject({ kind: 'audience', key: 'vip', value: false })
    expect(describeMembership(engageMembership(exited) as never)).toBe(
      'Engage audience: vip: false (the event\'s name, "Audience Exited"; the key from properties.audience_key)'
    )
  })

  it('says when the call does not carry the value its key names', () => {
    const identify = { type: 'identify', traits: {}, context: personas('audience', 'first_time_shopper') }
    expect(describeMembership(engageMembership(identify) as never)).toBe(
      'Engage audience: first_time_shopper: (no value: traits.first_time_shopper is missing) (the key from context.personas.computation_key)'
    )
  })

  it('leaves other events alone', () => {
    expect(engageMembership({ type: 'identify', traits: { vip: true } })).toBeUndefined()
    expect(engageMembership({ type: 'track', event: 'Audience Entered', properties: {} })).toBeUndefined()
    expect(engageMembership({ type: 'page', context: personas('audience', 'vip') })).toBeUndefined()
  })
})
