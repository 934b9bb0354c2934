import { evaluateEvent } from '../../src/endpointModel'
import { endpointOf, field } from './helpers'

const fields = [field('Timestamp', '.timestamp', 'string')]

describe('matching', () => {
  it('uses the first active match in file order and warns about the others', async () => {
    const endpoint = await endpointOf([
      { name: 'Inactive', schema: 'Custom', match: '.type == "track"', active: false, fields },
      { name: 'First', schema: 'Custom', match: '.type == "track"', fields },
      { name: 'Second', schema: 'Custom', match: '.event == "Signed Up"', fields }
    ])
    const result = await evaluateEvent(endpoint, { type: 'track', event: 'Signed Up', timestamp: 't' })
    expect(result.mapping).toEqual({ index: 1, name: 'First', schema: 'Custom' })
    expect(result.otherMatches).toEqual([{ index: 2, name: 'Second' }])
    expect(result.warningCodes).toEqual(['also-matches'])
    expect(result.warnings[0]).toContain('"Second"')
    expect(result.problems).toEqual([])
  })

  it('never matches an inactive mapping', async () => {
    const endpoint = await endpointOf([
      { name: 'Off', schema: 'Custom', match: '.type == "track"', active: false, fields }
    ])
    const result = await evaluateEvent(endpoint, { type: 'track', event: 'Signed Up' })
    expect(result.mapping).toBeUndefined()
    expect(result.otherMatches).toEqual([])
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'unmapped' })])
    expect(result.problems[0].fix).toContain('"Off"')
  })

  it('suggests a match criterion for an unmapped event', async () => {
    const endpoint = await endpointOf([{ name: 'Identify', schema: 'Custom', match: '.type == "identify"', fields }])
    const track = await evaluateEvent(endpoint, { type: 'track', event: 'Signed Up' })
    expect(track.problems).toHaveLength(1)
    expect(track.problems[0].kind).toBe('unmapped')
    expect(track.problems[0].fix).toBe(
      'add an event mapping whose match criterion is .type == "track" and .event == "Signed Up"'
    )
    const group = await evaluateEvent(endpoint, { type: 'group', groupId: 'g' })
    expect(group.problems[0].fix).toBe('add an event mapping whose match criterion is .type == "group"')
  })

  it('gives every event a mapping takes a problem for each field its predefined schema requires and it lacks', async () => {
    const endpoint = await endpointOf([
      { name: 'Category', schema: 'category', match: '.event == "Category Viewed"', fields },
      { name: 'Custom', schema: 'Anything', match: '.event == "Signed Up"', fields }
    ])
    const category = await evaluateEvent(endpoint, { type: 'track', event: 'Category Viewed', timestamp: 't' })
    expect(category.problems).toEqual([
      {
        kind: 'missing-required',
        field: 'CategoryID',
        message:
          'mapping "Category" has no field CategoryID, which Movable Ink\'s Category schema requires: Test Mapping would fail',
        fix: 'add the field CategoryID to the mapping'
      }
    ])
    const custom = await evaluateEvent(endpoint, { type: 'track', event: 'Signed Up', timestamp: 't' })
    expect(custom.problems).toEqual([])
  })
})
