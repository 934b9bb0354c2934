import {
  closeJqEngine,
  compileEndpoint,
  DEFAULT_ENDPOINT_FILE,
  evaluateEvents,
  loadEndpointFile
} from '../../src/endpointModel'
import type { EventEvaluation } from '../../src/endpointModel'
import { eventAt } from './testEvents'

/**
 * Thousands of events through one program, in concurrent calls that share its worker's stream, with one that
 * runs away in the middle: it alone is stopped, and every other event's evaluation is what it is without it.
 */

jest.setTimeout(120000)

afterAll(() => closeJqEngine())

const COUNT = 3000
const RUNAWAY_AT = 1500
const CALLS = 30

/** The events in `CALLS` concurrent evaluateEvents calls, as the stand-in's requests arrive. */
async function concurrently(evaluate: (events: unknown[]) => Promise<EventEvaluation[]>, events: unknown[]) {
  const size = events.length / CALLS
  const parts = Array.from({ length: CALLS }, (_, i) => events.slice(i * size, (i + 1) * size))
  return (await Promise.all(parts.map(evaluate))).flat()
}

describe('thousands of events in a row', () => {
  it('answer every event right around a runaway in the middle', async () => {
    const { spec } = await loadEndpointFile(DEFAULT_ENDPOINT_FILE)
    const runaway = {
      name: 'Runaway',
      schema: 'Custom',
      match: 'if .runaway then repeat(.) else false end',
      fields: [{ name: 'X', path: '.x', type: 'any' }]
    }
    // Last, so that the other mappings keep their indexes.
    const endpoint = await compileEndpoint({ ...spec, mappings: [...spec.mappings, runaway] })
    const events = Array.from({ length: COUNT }, (_, i) => eventAt(i))
    const expected = await evaluateEvents(endpoint, events)
    events[RUNAWAY_AT] = { ...(events[RUNAWAY_AT] as object), runaway: true }
    const evaluations = await concurrently((part) => evaluateEvents(endpoint, part), events)

    expect(evaluations).toHaveLength(COUNT)
    expect(evaluations[RUNAWAY_AT].problems).toEqual([
      expect.objectContaining({ kind: 'jq-error', stopped: expect.objectContaining({ mapping: 'Runaway' }) })
    ])
    const others = (list: EventEvaluation[]) => list.filter((_, i) => i !== RUNAWAY_AT)
    expect(others(evaluations)).toEqual(others(expected))
    expect(evaluations[2999].fields.find((f) => f.name === 'UserID')).toBeUndefined()
    expect(evaluations[RUNAWAY_AT + 1].fields.find((f) => f.name === 'ID')?.value).toBe(`p${RUNAWAY_AT + 1}`)
  })
})
