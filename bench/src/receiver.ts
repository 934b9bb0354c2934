/**
 * The minimal receiver: a separate process with Node's http server on loopback that reads each request body
 * and answers 200 `{}`. It does as little as possible per request (no parsing, no disk), so that it is
 * the same small, fixed cost for every contender. It counts requests, body bytes and requests whose
 * Authorization header is not the expected one, and reports the counts over IPC when asked.
 *
 * Usage (forked by bench/out/bench/src/main.js): node receiver.js --port 0 --username U --access-secret S
 */
import http from 'http'

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name)
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback
}

const port = Number(arg('--port', '0'))
const expectedAuth =
  'Basic ' + Buffer.from(`${arg('--username', 'U')}:${arg('--access-secret', 'S')}`).toString('base64')
const stats = { requests: 0, bytes: 0, badAuth: 0, notPost: 0, connections: 0 }
const ANSWER = Buffer.from('{}')

const server = http.createServer((req, res) => {
  let bytes = 0
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length
  })
  req.on('end', () => {
    stats.requests++
    stats.bytes += bytes
    if (req.headers.authorization !== expectedAuth) stats.badAuth++
    if (req.method !== 'POST') stats.notPost++
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': ANSWER.length })
    res.end(ANSWER)
  })
})
server.on('connection', () => {
  stats.connections++
})
// Contenders sit idle while the others run their rounds: keep their connections open meanwhile, so that no
// contender pays for reconnecting, or races a server-side close, at the start of a round.
server.keepAliveTimeout = 10 * 60_000
server.headersTimeout = 10 * 60_000 + 1000

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'stats') process.send?.({ type: 'stats', stats: { ...stats } })
})
process.on('disconnect', () => process.exit(0))
process.on('SIGTERM', () => process.exit(0))

server.listen(port, '127.0.0.1', () => {
  const address = server.address()
  const actual = typeof address === 'object' && address ? address.port : port
  process.stdout.write(`listening on http://127.0.0.1:${actual}\n`)
  process.send?.({ type: 'listening', port: actual })
})
