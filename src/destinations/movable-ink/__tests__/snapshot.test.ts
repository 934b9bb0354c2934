/**
 * Snapshot tests in the monorepo's style: field values from `generateTestData`, run through the action, the
 * request (or the refusal) snapshotted. The same file runs here (jest 29) and in Segment's monorepo (jest 27),
 * so a snapshot holds only what this destination decides: method, path, body, and the headers it sets. What the
 * HTTP client adds (content-length, connection, accept-encoding, user-agent) differs between actions-core
 * versions and is left out. The Authorization value is checked, then redacted: no secret is ever written to a
 * snapshot. (jest.config.js writes the .snap in jest 27's format.)
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

function snapshotOf(request: CapturedRequest, headerNames: string[], password: string, username: string) {
  const expected = 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64')
  expect(request.headers.authorization).toBe(expected)
  const names = ['content-type', ...headerNames.map((name) => name.toLowerCase())]
  const snapshot = {
    method: request.method,
    path: request.path,
    headers: { authorization: '<redacted>', ...Object.fromEntries(names.map((name) => [name, request.headers[name]])) },
    body: JSON.parse(request.body) as unknown
  }
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
    // value (it would show up in the headers): both come from testSetup. The generated Data has no timestamp
    // or identity, so it becomes the properties of a real event, which the Data field maps whole, as the
    // preset does. The batching fields do nothing for one event, and the generator's numbers for Batch Size
    // differ between its versions (newer ones keep to the field's minimum and maximum): they are not mapped.
    const testSettings = { ...settingsData, password: settings.password, movable_ink_url: settings.movable_ink_url }
    const headers = (fieldData.headers ?? {}) as Record<string, string>
    const captured = captureRequests()
    await testDestination.testAction(actionSlug, {
      event: fixedEvent({ properties: fieldData.data ?? {} }),
      mapping: { headers, data: { '@path': '$.' } },
      settings: testSettings
    })
    expect(captured).toHaveLength(1)
    expect(
      snapshotOf(captured[0], Object.keys(headers), testSettings.password, testSettings.username)
    ).toMatchSnapshot()
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
