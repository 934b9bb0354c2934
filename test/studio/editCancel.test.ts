import { readFileSync } from 'fs'
import { closeJqEngine } from '../../src/endpointModel'
import { presetSubscriptions } from '../../src/runtime/subscriptions'
import { StudioError } from '../../src/studio/studioError'
import { Workbench } from '../../src/studio/workbench'
import { EXAMPLE_ENDPOINT, viewedProduct } from './helpers'

/**
 * A new edit cancels the check still under way: an edit whose match criterion runs away stops costing jq time
 * (here it would spin for ten minutes) as soon as the next edit's check starts, and answers 409, which the page
 * drops as overtaken.
 */

afterAll(() => closeJqEngine())

it('a check of new mappings cancels the one under way, whose runaway stops at once', async () => {
  const workbench = new Workbench({
    endpointFile: EXAMPLE_ENDPOINT,
    subscriptions: presetSubscriptions(),
    settings: {},
    jqLimits: { deadlineMs: 600_000 }
  })
  workbench.events.addText(JSON.stringify([viewedProduct(), { ...viewedProduct(), event: 'Runaway' }]))
  const edited = JSON.parse(readFileSync(EXAMPLE_ENDPOINT, 'utf8'))
  const runaway = {
    name: 'Runaway',
    schema: 'Custom',
    active: true,
    match: 'if .event == "Runaway" then (def f: f; f) else false end',
    fields: [{ name: 'X', path: '.event', type: 'any', required: false }]
  }
  const stuck = workbench.checks.check({ ...edited, mappings: [runaway, ...edited.mappings] })
  const refused = stuck.catch((error: unknown) => error)
  // Most likely in jq by now (it need not be: the newer edit cancels it wherever it is).
  await new Promise((resolve) => setTimeout(resolve, 200))
  try {
    const next = await workbench.checks.check(edited)
    expect(next.items).toHaveLength(2)
    expect(await refused).toBeInstanceOf(StudioError)
    expect(await refused).toMatchObject({ status: 409, message: expect.stringContaining('A newer edit') })
  } finally {
    await workbench.close()
  }
})
