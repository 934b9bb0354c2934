import { call, startTestStudio } from './helpers'
import { readdirSync, readFileSync } from 'fs'
import { join } from 'path'
import { STATIC_DIR } from '../../src/studio/server'
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

  it('serves the page with the token in the URL, and does not write the token into it', async () => {
    const answer = await call(studio, 'GET', `/?token=${studio.token}`, { token: null })
    expect(answer.status).toBe(200)
    expect(answer.text).not.toContain(studio.token)
    expect(answer.headers['content-security-policy']).toContain("default-src 'self'")
  })

  // A module's import cannot carry the token; these files hold no data (auth.ts).
  it.each(['/main.js', '/mappingEditor.js', '/style.css'])(
    'serves the static file %s without the token, to its own Host',
    async (path) => {
      const answer = await call(studio, 'GET', path, { token: null })
      expect(answer.status).toBe(200)
      expect(answer.headers['content-type']).toMatch(/^text\/(javascript|css)/)
      expect(answer.headers['content-security-policy']).toContain("default-src 'self'")
    }
  )

  it('serves every file of the page in static/ without the token, so every module main.js imports loads', async () => {
    // Its tsconfig.json only type-checks the page: it is not one of the page's files, and is not served.
    const files = readdirSync(STATIC_DIR).filter((file) => file !== 'index.html' && file !== 'tsconfig.json')
    for (const file of files) expect((await call(studio, 'GET', `/${file}`, { token: null })).status).toBe(200)
    expect((await call(studio, 'GET', '/tsconfig.json', { token: null })).status).toBe(401)
    const imported = files
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) => [...readFileSync(join(STATIC_DIR, file), 'utf8').matchAll(/from '\.\/([\w.]+)'/g)])
      .map((match) => match[1])
    expect(imported.length).toBeGreaterThan(0)
    expect(files).toEqual(expect.arrayContaining(imported))
  })

  it('refuses a static file to a foreign Host or Origin, token or not', async () => {
    const host = { host: `evil.example:${studio.port}` }
    expect((await call(studio, 'GET', '/main.js', { token: null, headers: host })).status).toBe(403)
    expect((await call(studio, 'GET', '/main.js', { headers: host })).status).toBe(403)
    const origin = { origin: 'https://evil.example' }
    expect((await call(studio, 'GET', '/main.js', { token: null, headers: origin })).status).toBe(403)
  })

  it.each(['/index.html', '/app.js', '/../server.ts', '/static/main.js', '/%2e%2e/auth.ts', '/main.js/'])(
    'serves only the listed files: %s is no file without the token, and 404 with it',
    async (path) => {
      expect((await call(studio, 'GET', path, { token: null })).status).toBe(401)
      expect((await call(studio, 'GET', path)).status).toBe(404)
    }
  )

  it.each([
    ['no token', null, '/api/state'],
    ['a wrong token', 'x'.repeat(32), '/api/state'],
    ['no token, on the page', null, '/'],
    ['no token, on an unknown path', null, '/nothing.js'],
    ['no token, on an API route', null, '/api/check']
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
