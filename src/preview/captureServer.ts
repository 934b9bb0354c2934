import { createServer } from 'http'
import type { Server } from 'http'
import { closeServer, listenOnLoopback, LOOPBACK } from '../io/loopback'

/** One request as it arrived: raw headers in wire order and spelling, and the body's bytes. */
export interface Captured {
  method: string
  path: string
  rawHeaders: string[]
  body: Buffer
}

export interface CaptureServer {
  url: string
  captured: Captured[]
  close(): Promise<void>
}

/** A loopback server that keeps every request and answers 200 `{}`: where preview lets the destination post. */
export async function startCaptureServer(): Promise<CaptureServer> {
  const captured: Captured[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      captured.push({
        method: req.method ?? '',
        path: req.url ?? '',
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks)
      })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{}')
    })
  })
  const port = await listenOnLoopback(server)
  return { url: `http://${LOOPBACK}:${port}`, captured, close: () => closeServer(server) }
}
