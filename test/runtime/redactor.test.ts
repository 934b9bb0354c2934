import { basicCredentials } from '../../src/destinations/movable-ink/basicAuthorization'
import { REDACTED_AUTHORIZATION, Redactor } from '../../src/runtime/redactor'

describe('the redactor', () => {
  const secret = 'sekret-Access-9f8e'
  const redactor = new Redactor().add('AKID', secret)

  it('removes the secret and the Basic credentials made from it', () => {
    expect(redactor.redact(`secret ${secret} and basic ${basicCredentials('AKID', secret)}`)).toBe(
      'secret [redacted] and basic [redacted]'
    )
  })

  it('removes any Authorization value, whatever secret made it', () => {
    expect(redactor.redact('Authorization: Basic QUJDOmRlZg==')).toBe('Authorization: Basic [redacted]')
    expect(redactor.redact('{"authorization":"Bearer abc.def-ghi"}')).toBe('{"authorization":"Bearer [redacted]"}')
    expect(REDACTED_AUTHORIZATION).toBe('Basic [redacted]')
  })

  it('prefers the longest secret, so one inside another leaves nothing behind', () => {
    const both = new Redactor().add('u', 'abcdef').add('u', 'abcdefghij')
    expect(both.redact('x abcdefghij y abcdef')).toBe('x [redacted] y [redacted]')
  })

  it('leaves text without secrets alone', () => {
    expect(redactor.redact('Sent 3 of 3 events.')).toBe('Sent 3 of 3 events.')
  })

  it('masks a secret of any length it is given (the commands refuse short ones: settings.test.ts)', () => {
    const short = new Redactor().add('AKID', 'ab1')
    expect(short.redact('Movable Ink said: "no key ab1 for AKID"')).toBe(
      'Movable Ink said: "no key [redacted] for AKID"'
    )
    expect(short.redact(`basic ${basicCredentials('AKID', 'ab1')}`)).toBe('basic [redacted]')
  })
})
