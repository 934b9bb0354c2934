import { randomBytes, timingSafeEqual } from 'crypto'
import type { IncomingMessage } from 'http'

/**
 * Who may use the studio: whoever has its URL. The server listens on loopback only, but other local users and
 * any web page open in a browser can reach loopback too; the random token keeps out the first, and the Host and
 * Origin checks keep out the second (DNS rebinding and cross-site requests).
 *
 * The page's scripts and stylesheet are the exception to the token: a module's `import` cannot send a header
 * or add a query, and those files are the same for everyone, hold no events, mappings, settings or secrets, and
 * are in the source tree anyway. So they are served without the token, but only to a request that passes the
 * Host and Origin checks. The page itself and every /api/ route, where the data is, still need the token.
 */

export const TOKEN_HEADER = 'x-studio-token'

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

export interface Refusal {
  status: number
  message: string
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

function tokenOf(req: IncomingMessage): string {
  const header = req.headers[TOKEN_HEADER]
  if (typeof header === 'string') return header
  const query = new URL(req.url ?? '/', 'http://studio').searchParams.get('token')
  return query ?? ''
}

/** The hosts the page can be reached by: the loopback address and localhost, with the studio's port. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`]
}

/** Why a request is refused as coming from elsewhere (another Host or another page), or undefined. */
export function foreignRefusal(req: IncomingMessage, port: number): Refusal | undefined {
  const hosts = allowedHosts(port)
  const host = req.headers.host ?? ''
  if (!hosts.includes(host))
    return { status: 403, message: `Host "${host}" is not this studio: open the URL the studio printed.` }
  const origin = req.headers.origin
  if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`))
    return { status: 403, message: `Requests from other pages (Origin "${origin}") are refused.` }
  return undefined
}

/** Why a request is refused for its token, or undefined when it carries the studio's token. */
export function tokenRefusal(req: IncomingMessage, token: string): Refusal | undefined {
  if (!sameToken(tokenOf(req), token))
    return {
      status: 401,
      message: 'Missing or wrong token: open the full URL the studio printed, token included.'
    }
  return undefined
}
