/**
 * Snapshot tests in the monorepo's style: field values from `generateTestData`, run through the action, the
 * request (or the refusal) snapshotted. The Authorization value is checked, then redacted: no secret is
 * ever written to a snapshot.
 */
import { readFileSync } from 'fs'
import path from 'path'
import { createTestIntegration } from '@segment/actions-core'
import { generateTestData } from '../../../lib/test-data'
import definition from '../index'
import { captureRequests, fixedEvent, settings, setUpNock } from './__helpers__/testSetup'
import type { CapturedRequest } from './__helpers__/testSetup'

setUpNock()
const testDestination = createTestIntegration(definition)
const seedName = 'movable-ink'

function snapshotOf(request: CapturedRequest, password: string, username: string) {
  const expected = 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64')
  expect(request.headers.authorization).toBe(expected)
  const snapshot = { ...request, headers: { ...request.headers, authorization: '<redacted>' } }
  const text = JSON.stringify(snapshot)
  expect(text).not.toContain(password)
  expect(text).not.toContain(expected)
  return snapshot
}

describe.each(Object.keys(definition.actions))('%s snapshots', (actionSlug) => {
  const action = definition.actions[actionSlug as keyof typeof definition.actions]

  it.each([
    ['required fields', true],
    ['all fields', false]
  ])('%s: a generated event that meets the requirements', async (_name, requiredOnly) => {
    const [fieldData, settingsData] = generateTestData(seedName, definition, action, requiredOnly)
    // Generated settings have no usable URL, and their secret is the same seeded string as every generated
    // value (it would show up in the headers): both come from testSetup. Generated Data has no timestamp or
    // identity, so it is merged into a real event (the Data field maps the whole event, as the preset does).
    const testSettings = { ...settingsData, password: settings.password, movable_ink_url: settings.movable_ink_url }
    const event = fixedEvent({ properties: fieldData })
    const captured = captureRequests()
    await testDestination.testAction(actionSlug, {
      event,
      mapping: { ...(fieldData.headers ? { headers: fieldData.headers } : {}), data: { '@path': '$.' } },
      settings: testSettings
    })
    expect(snapshotOf(captured[0], testSettings.password, testSettings.username)).toMatchSnapshot()
  })

  it('the generated Data as it is: refused for the missing timestamp and identity', async () => {
    const [fieldData, settingsData] = generateTestData(seedName, definition, action, false)
    const error = await testDestination
      .testAction(actionSlug, {
        event: fixedEvent(),
        mapping: { headers: fieldData.headers, data: fieldData.data },
        settings: { ...settingsData, movable_ink_url: settings.movable_ink_url }
      })
      .catch((e: Error) => e)
    expect(testDestination.responses).toHaveLength(0)
    expect((error as Error).message).toMatchSnapshot()
  })
})

describe('snapshots hold no secret', () => {
  it('neither the generated Access Secret nor any Authorization value appears in the snapshot file', () => {
    const [, settingsData] = generateTestData(seedName, definition, definition.actions.sendEntireEvent, false)
    const snap = readFileSync(path.join(__dirname, '__snapshots__', 'snapshot.test.ts.snap'), 'utf8')
    const encoded = Buffer.from(`${settingsData.username}:${settings.password}`).toString('base64')
    expect(snap).not.toContain(settings.password)
    expect(snap).not.toContain(encoded)
    expect(snap).not.toMatch(/Basic [A-Za-z0-9+/=]{8,}/)
  })
})
