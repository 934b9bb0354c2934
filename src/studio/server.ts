import { existsSync } from 'fs'
import { readFile } from 'fs/promises'
import { createServer } from 'http'
import type { IncomingMessage, Server, ServerResponse } from 'http'
import { join } from 'path'
import { closeServer, listenOnLoopback, LOOPBACK } from '../io/loopback'
import { apiHandler, sendJson } from './api'
import { foreignRefusal, newToken, tokenRefusal } from './auth'
import { Workbench } from './workbench'
import type { WorkbenchOptions } from './workbench'

/**
 * The studio's HTTP server: loopback only, every request checked for its Host and Origin and, all but the
 * page's scripts and stylesheet, for the token (auth.ts); /api/ to the JSON API, and the page's files served
 * from the static folder beside this module (the build copies it into dist/, so the compiled command needs
 * no source tree).
 */

export const STATIC_DIR = join(__dirname, 'static')

/** The page: like the API, it needs the token (auth.ts). */
const PAGE = 'index.html'

/** A script or stylesheet of the page, by URL: one plain file name, so no URL can reach outside the folder. */
const ASSET = /^\/([A-Za-z0-9_-]+\.(?:js|css))$/

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8'
}

/** The page may load only its own files and talk only to this server. */
const CSP = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

/** The static file a URL names, when there is one (the page's scripts and stylesheet). */
function assetOf(path: string): string | undefined {
  const name = ASSET.exec(path)?.[1]
  return name && existsSync(join(STATIC_DIR, name)) ? name : undefined
}

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
  for (const file of options.files) await workbench.events.addFile(file)
  const token = options.token ?? newToken()
  const api = apiHandler(workbench)
  let port = 0

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://studio').pathname
    const asset = assetOf(path)
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
  port = await listenOnLoopback(server, options.port)
  return {
    url: `http://${LOOPBACK}:${port}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    workbench,
    close: async () => {
      await closeServer(server, true)
      await workbench.close()
    }
  }
}
