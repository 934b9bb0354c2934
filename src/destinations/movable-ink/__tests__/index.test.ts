import { createTestIntegration, Destination } from '@segment/actions-core'
import type { JSONObject } from '@segment/actions-core'
import definition, { SEND_ENTIRE_EVENT_SUBSCRIPTION } from '../index'
import {
  captureRequests,
  EXPECTED_AUTHORIZATION,
  fixedEvent,
  settings,
  setUpNock,
  SECRET
} from './__helpers__/testSetup'

setUpNock()
const testDestination = createTestIntegration(definition)

describe('Movable Ink destination definition', () => {
  it('has the catalog identity', () => {
    expect(definition.name).toBe('Movable Ink')
    expect(definition.slug).toBe('actions-movable-ink')
    expect(definition.mode).toBe('cloud')
  })

  it('uses basic authentication with the three documented settings', () => {
    const auth = definition.authentication!
    expect(auth.scheme).toBe('basic')
    expect(Object.keys(auth.fields)).toEqual(['username', 'password', 'movable_ink_url'])
    expect(auth.fields.username).toMatchObject({ label: 'Username', type: 'string', required: true })
    expect(auth.fields.username.description).toMatch(/Access Key ID/)
    expect(auth.fields.password).toMatchObject({ label: 'Access Secret', type: 'password', required: true })
    expect(auth.fields.movable_ink_url).toMatchObject({ label: 'Movable Ink URL', type: 'string', required: true })
  })

  it('has one automatic preset that sends every event type with the default mapping', () => {
    expect(definition.presets).toEqual([
      {
        name: 'Send Entire Event',
        partnerAction: 'sendEntireEvent',
        subscribe: 'type = "identify" or type = "track" or type = "page" or type = "screen" or type = "group"',
        mapping: { data: { '@path': '$.' }, enable_batching: false, batch_size: 100 },
        type: 'automatic'
      }
    ])
    expect(SEND_ENTIRE_EVENT_SUBSCRIPTION).toBe((definition.presets![0] as { subscribe: string }).subscribe)
  })

  it('describes the action fields as the catalog does', () => {
    const fields = definition.actions.sendEntireEvent.fields
    expect(fields.headers).toMatchObject({
      type: 'object',
      defaultObjectUI: 'keyvalue:only',
      description: 'HTTP headers to send with each request. Only ASCII characters are supported.'
    })
    expect(fields.data).toMatchObject({ type: 'object', default: { '@path': '$.' } })
    expect(fields.enable_batching).toMatchObject({ type: 'boolean', default: false })
    expect(fields.batch_size).toMatchObject({ type: 'number', default: 100, maximum: 1000 })
  })
})

describe('extendRequest', () => {
  it('sends the Access Key ID and Access Secret as HTTP basic auth', async () => {
    const captured = captureRequests()
    await testDestination.testAction('sendEntireEvent', { event: fixedEvent(), settings, useDefaultMappings: true })
    expect(captured).toHaveLength(1)
    expect(captured[0].headers.authorization).toBe(EXPECTED_AUTHORIZATION)
  })
})

describe('extendRequest, directly', () => {
  const extend = (username: string, password: string) =>
    definition.extendRequest!({ settings: { ...settings, username, password }, payload: undefined } as never)

  it('builds the same header as the runtime basic-auth hook would', () => {
    expect(extend('access-key-id', SECRET)).toEqual({ headers: { Authorization: EXPECTED_AUTHORIZATION } })
  })

  it('adds no header when both credentials are empty, as the hook does', () => {
    expect(extend('', '')).toEqual({})
  })
})

describe('testAuthentication', () => {
  it('accepts good settings without sending anything', async () => {
    // nock has no interceptor and net connect is disabled: any request would fail the test
    await expect(testDestination.testAuthentication(settings)).resolves.not.toThrow()
  })

  it.each([
    [
      'an http URL to a public host',
      { movable_ink_url: 'http://events.movable-ink.test/x' },
      /Movable Ink URL.*must use https/
    ],
    ['a URL that is not a URL', { movable_ink_url: 'events.movable-ink.test' }, /Movable Ink URL.*not a valid URL/],
    [
      'credentials in the URL',
      { movable_ink_url: 'https://key:secret@events.movable-ink.test/x' },
      /must not contain credentials/
    ],
    ['an empty Username', { username: ' ' }, /Username setting is empty/],
    ['an empty Access Secret', { password: '' }, /Access Secret setting is empty/]
  ])('rejects %s, naming the setting', async (_name, change, message) => {
    await expect(testDestination.testAuthentication({ ...settings, ...change })).rejects.toThrow(message)
  })

  it('never repeats the Access Secret in its error', async () => {
    const bad = { ...settings, movable_ink_url: `https://key:${SECRET}@events.movable-ink.test/x` }
    await expect(testDestination.testAuthentication(bad)).rejects.toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(SECRET) })
    )
  })
})

describe('the real actions-core runtime', () => {
  // Guards the fast-uri pin (package.json "overrides"): fast-uri 3.1.6+ makes every action of a destination
  // whose name has a space fail schema validation with "URI scheme is malformed".
  it('runs Send Entire Event end to end through Destination.onEvent with the preset subscription', async () => {
    const captured = captureRequests()
    const destination = new Destination(definition)
    const preset = definition.presets![0] as { subscribe: string; partnerAction: string; mapping: JSONObject }
    const results = await destination.onEvent(fixedEvent(), {
      ...settings,
      subscription: { subscribe: preset.subscribe, partnerAction: preset.partnerAction, mapping: preset.mapping }
    })
    expect(results.map((r) => r.output)).toEqual(['Mappings resolved', 'Payload validated', 'Action Executed'])
    expect(captured).toHaveLength(1)
  })
})
