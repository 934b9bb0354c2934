import { createServer, request } from 'http'
import { closeServer, listenOnLoopback, LOOPBACK } from '../../src/io/loopback'

it("watches Node's global agents once, however many times its module is loaded in the process", async () => {
  // Each load is a module of its own, as with each test file under jest or two copies of the package.
  for (let load = 0; load < 3; load++) {
    jest.resetModules()
    ;(await import('../../src/io/cutResponses')).failCutResponses()
  }
  const server = createServer((_req, res) => res.end('ok'))
  const port = await listenOnLoopback(server)
  try {
    const req = request({ host: LOOPBACK, port, path: '/' })
    expect(req.listenerCount('response')).toBe(1)
    const body = await new Promise<string>((resolve, reject) => {
      req.on('response', (res) => {
        let text = ''
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve(text))
      })
      req.on('error', reject)
      req.end()
    })
    expect(body).toBe('ok')
  } finally {
    await closeServer(server)
  }
})
