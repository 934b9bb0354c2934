import { randomBytes, timingSafeEqual } from 'crypto'
import type { IncomingMessage } from 'http'

/**
 * Who may use the studio: whoever has its URL. The server listens on loopback only, but other local users and
 * any web page open in a browser can reach loopback too; the random token keeps out the first, and the Host and
 * Origin checks keep out the second (DNS rebinding and cross-site requests).
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

/** Why a request is refused, or undefined when it comes from the studio's own page with the token. */
export function refusalOf(req: IncomingMessage, token: string, port: number): Refusal | undefined {
  const hosts = allowedHosts(port)
  const host = req.headers.host ?? ''
  if (!hosts.includes(host))
    return { status: 403, message: `Host "${host}" is not this studio: open the URL the studio printed.` }
  const origin = req.headers.origin
  if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`))
    return { status: 403, message: `Requests from other pages (Origin "${origin}") are refused.` }
  if (!sameToken(tokenOf(req), token))
    return {
      status: 401,
      message: 'Missing or wrong token: open the full URL the studio printed, token included.'
    }
  return undefined
}
