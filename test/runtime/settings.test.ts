import { MIN_SECRET_LENGTH, requireSettings, SettingsError, settingsFromOptions } from '../../src/runtime/settings'

describe('the Access Secret length rule', () => {
  const url = 'https://collector.movableink.test/behavioral/key'

  it.each(['Q', 'k3y9Z', 'q'.repeat(MIN_SECRET_LENGTH - 1)])(
    'refuses %p, from a flag or the environment, naming the rule and not the secret',
    (secret) => {
      for (const given of [
        () => settingsFromOptions({ accessSecret: secret }, {}),
        () => settingsFromOptions({}, { MOVABLE_INK_ACCESS_SECRET: secret }),
        () => requireSettings({ url, username: 'AKID', password: secret })
      ]) {
        const error = (() => {
          try {
            given()
          } catch (e) {
            return e
          }
        })()
        expect(error).toBeInstanceOf(SettingsError)
        expect((error as SettingsError).setting).toBe('password')
        expect((error as Error).message).toContain(`shorter than ${MIN_SECRET_LENGTH} characters`)
        expect((error as Error).message).not.toContain(secret)
      }
    }
  )

  it(`takes a secret of ${MIN_SECRET_LENGTH} characters or more, and no secret at all`, () => {
    const secret = 'x'.repeat(MIN_SECRET_LENGTH)
    expect(settingsFromOptions({ accessSecret: secret }, {}).password).toBe(secret)
    expect(settingsFromOptions({}, {}).password).toBeUndefined()
    expect(requireSettings({ url, username: 'AKID', password: secret }).password).toBe(secret)
  })
})
