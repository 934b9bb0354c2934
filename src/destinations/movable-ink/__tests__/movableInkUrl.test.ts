import { checkMovableInkUrl, MovableInkUrlError } from '../movableInkUrl'

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
