import { call, startTestStudio } from './helpers'
import type { Studio } from '../../src/studio/server'

let studio: Studio

beforeAll(async () => {
  studio = (await startTestStudio()).studio
})
afterAll(() => studio.close())

describe('who may use the studio', () => {
  it('listens on 127.0.0.1 and prints a URL with the token', () => {
    expect(studio.url).toBe(`http://127.0.0.1:${studio.port}/?token=${studio.token}`)
    expect(studio.token.length).toBeGreaterThanOrEqual(32)
  })

  it('serves the page with the token in the URL, its links carrying it', async () => {
    const answer = await call(studio, 'GET', `/?token=${studio.token}`, { token: null })
    expect(answer.status).toBe(200)
    expect(answer.text).toContain(`app.js?token=${encodeURIComponent(studio.token)}`)
    expect(answer.headers['content-security-policy']).toContain("default-src 'self'")
  })

  it.each([
    ['no token', null, '/api/state'],
    ['a wrong token', 'x'.repeat(32), '/api/state'],
    ['no token, on the page', null, '/'],
    ['no token, on a static file', null, '/app.js']
  ])('refuses %s with 401', async (_what, token, path) => {
    const answer = await call(studio, 'GET', path, { token })
    expect(answer.status).toBe(401)
    expect(answer.json.error).toMatch(/token/)
  })

  it('refuses a foreign Host (DNS rebinding) even with the token', async () => {
    const answer = await call(studio, 'GET', '/api/state', { headers: { host: `evil.example:${studio.port}` } })
    expect(answer.status).toBe(403)
    expect(answer.json.error).toMatch(/Host "evil.example/)
  })

  it('refuses a request from another page (foreign Origin) even with the token', async () => {
    const answer = await call(studio, 'POST', '/api/events', {
      body: { text: '{"type":"track"}' },
      headers: { origin: 'https://evil.example' }
    })
    expect(answer.status).toBe(403)
    expect(answer.json.error).toMatch(/Origin "https:\/\/evil.example"/)
    expect((await call(studio, 'GET', '/api/state')).json.events).toEqual([])
  })

  it("accepts its own page's Origin, on 127.0.0.1 and localhost", async () => {
    for (const host of [`127.0.0.1:${studio.port}`, `localhost:${studio.port}`]) {
      const answer = await call(studio, 'GET', '/api/state', { headers: { host, origin: `http://${host}` } })
      expect(answer.status).toBe(200)
    }
  })
})
