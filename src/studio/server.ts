import { existsSync } from 'fs'
import { readFile } from 'fs/promises'
import { createServer } from 'http'
import type { IncomingMessage, Server, ServerResponse } from 'http'
import type { AddressInfo } from 'net'
import { join, resolve } from 'path'
import { apiHandler, sendJson } from './api'
import { foreignRefusal, newToken, tokenRefusal } from './auth'
import { Workbench } from './workbench'
import type { WorkbenchOptions } from './workbench'

/**
 * The studio's HTTP server: loopback only, every request checked for its Host and Origin and, all but the
 * page's scripts and stylesheet, for the token (auth.ts); /api/ to the JSON API, and the page's few static
 * files read from the source tree (src/studio/static), which the compiled command finds from dist/studio as the
 * tests find it from src/studio.
 */

export const STATIC_DIR = [join(__dirname, 'static'), resolve(__dirname, '../../src/studio/static')].find((dir) =>
  existsSync(join(dir, 'index.html'))
) as string

/** The page: like the API, it needs the token (auth.ts). */
const PAGE = 'index.html'

/**
 * The page's scripts and stylesheet, by URL: served without the token but with the Host and Origin checks
 * (auth.ts says why). Only the files listed here are ever read, so no URL can reach any other file.
 */
const ASSETS = new Map<string, string>([
  ['/api.js', 'api.js'],
  ['/check.js', 'check.js'],
  ['/dom.js', 'dom.js'],
  ['/download.js', 'download.js'],
  ['/endpointFile.js', 'endpointFile.js'],
  ['/events.js', 'events.js'],
  ['/exportReport.js', 'exportReport.js'],
  ['/fieldRow.js', 'fieldRow.js'],
  ['/main.js', 'main.js'],
  ['/mappingEditor.js', 'mappingEditor.js'],
  ['/mappingInputs.js', 'mappingInputs.js'],
  ['/mappingProblems.js', 'mappingProblems.js'],
  ['/movableInkSide.js', 'movableInkSide.js'],
  ['/results.js', 'results.js'],
  ['/segmentSide.js', 'segmentSide.js'],
  ['/state.js', 'state.js'],
  ['/testSend.js', 'testSend.js'],
  ['/verdict.js', 'verdict.js'],
  ['/style.css', 'style.css']
])

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8'
}

/** The page may load only its own files and talk only to this server. */
const CSP = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

async function serveStatic(req: IncomingMessage, res: ServerResponse, path: string, file: string): Promise<void> {
  if (req.method !== 'GET') return sendJson(res, 405, { error: `${req.method} is not allowed on ${path}: use GET.` })
  const body = await readFile(join(STATIC_DIR, file), 'utf8')
  res.writeHead(200, {
    'content-type': TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store'
  })
  res.end(body)
}

export interface StudioOptions extends WorkbenchOptions {
  files: string[]
  port?: number
  /** Fixed for tests; a random one otherwise. */
  token?: string
}

export interface Studio {
  url: string
  port: number
  token: string
  workbench: Workbench
  close(): Promise<void>
}

export async function startStudio(options: StudioOptions): Promise<Studio> {
  const workbench = new Workbench(options)
  for (const file of options.files) await workbench.addFile(file)
  const token = options.token ?? newToken()
  const api = apiHandler(workbench)
  let port = 0

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://studio').pathname
    const asset = ASSETS.get(path)
    const refusal = foreignRefusal(req, port) ?? (asset ? undefined : tokenRefusal(req, token))
    if (refusal) return sendJson(res, refusal.status, { error: refusal.message })
    if (asset) return serveStatic(req, res, path, asset)
    if (path.startsWith('/api/')) return api(req, res, path)
    if (path !== '/') return sendJson(res, 404, { error: `There is no page ${path}: open the URL the studio printed.` })
    return serveStatic(req, res, path, PAGE)
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) sendJson(res, 500, { error: `The studio failed: ${error.message}` })
      else res.destroy()
    })
  })
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail)
      done()
    })
  })
  port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    workbench,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done())
        server.closeAllConnections()
      })
  }
}
