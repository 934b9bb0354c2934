import { checkMovableInkUrl, describeMovableInkUrl, movableInkUrlWarning, MovableInkUrlError } from '../movableInkUrl'

describe('checkMovableInkUrl', () => {
  it.each([
    'https://events.movableink.com/segment/abc123',
    'https://events.movableink.com:8443/x?tenant=1',
    '  https://events.movableink.com/x  ',
    'http://localhost:3000/events',
    'http://LOCALHOST/events',
    'http://api.localhost/events',
    'http://127.0.0.1:8080/e',
    'http://127.255.0.9/e',
    'http://[::1]:9000/e'
  ])('accepts %s', (url) => {
    expect(() => checkMovableInkUrl(url)).not.toThrow()
  })

  it.each([
    [undefined, /is empty/],
    ['', /is empty/],
    ['   ', /is empty/],
    ['events.movableink.com/x', /is not a valid URL.*https:\/\//],
    ['http://events.movableink.com/x', /must use https.*"https:\/\/events.movableink.com"/],
    ['http://10.0.0.5/x', /must use https/],
    ['http://127.0.0.1.evil.com/x', /must use https/],
    ['http://localhost.evil.com/x', /must use https/],
    ['ftp://events.movableink.com/x', /must use https, not "ftp"/],
    ['javascript:alert(1)', /must use https, not "javascript"/],
    ['https://user:pass@events.movableink.com/x', /must not contain credentials.*Username and Access Secret/],
    ['https://user@events.movableink.com/x', /must not contain credentials/],
    ['http://user:pass@localhost/x', /must not contain credentials/]
  ])('refuses %p', (url, message) => {
    let error: unknown
    try {
      checkMovableInkUrl(url)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(MovableInkUrlError)
    expect((error as Error).message).toMatch(/^The "Movable Ink URL" setting /)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).not.toMatch(/pass@/)
  })
})

describe('describeMovableInkUrl: the shape of a Movable Ink endpoint URL', () => {
  it.each([
    'https://collector.movableink-dmz.com/behavioral/abc123',
    'https://collector.micpn.com/behavioral/abc123/',
    'https://COLLECTOR.MICPN-EU.COM/behavioral/abc123',
    'http://127.0.0.1:4000/behavioral/local-stand-in'
  ])('%s looks right: no warning', (url) => {
    expect(describeMovableInkUrl(url)).toMatchObject({ warnings: [], endpointKey: expect.any(String) })
    expect(movableInkUrlWarning(url)).toBeUndefined()
  })

  it('knows the collector hosts and reads the endpoint key', () => {
    expect(describeMovableInkUrl('https://collector.micpn.com/behavioral/k-9')).toEqual({
      knownHost: true,
      endpointKey: 'k-9',
      warnings: []
    })
  })

  it.each([
    ['https://collector.movableink-dmz.com/behavioral/', /no endpoint key after \/behavioral\//],
    ['https://collector.movableink-dmz.com/behavioral', /no endpoint key after \/behavioral\//],
    ['https://collector.movableink-dmz.com/', /path "\/" is not \/behavioral\/<endpoint key>/],
    ['https://collector.movableink-dmz.com/behavioral/abc/extra', /path "\/behavioral\/abc\/extra" is not/],
    ['https://collector.movableink-dmz.com/behavioral/abc?x=1', /query string \("\?x=1"\)/],
    ['https://colector.movableink-dmz.com/behavioral/abc', /host "colector.movableink-dmz.com" is not a known/],
    ['http://localhost:3000/events', /path "\/events" is not/]
  ])('%s: one plain warning naming what looks wrong', (url, problem) => {
    const warning = movableInkUrlWarning(url)
    expect(warning).toMatch(problem)
    expect(warning).toMatch(/^Warning: the Movable Ink URL may be wrong: .*\/behavioral\/<endpoint key>\.$/)
    expect(warning?.split('\n')).toHaveLength(1)
  })

  it('loopback hosts are never "unknown hosts" (they are for testing)', () => {
    expect(describeMovableInkUrl('http://localhost:3000/behavioral/x').warnings).toEqual([])
  })
})
