import { IntegrationError } from '@segment/actions-core'

const SETTING = '"Movable Ink URL" setting'

/** Loopback hosts, the only ones that may be reached over plain http (local testing against a stand-in). */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (host === '[::1]') return true
  return /^127(\.\d{1,3}){3}$/.test(host)
}

export class MovableInkUrlError extends IntegrationError {
  constructor(problem: string) {
    super(`The ${SETTING} ${problem}`, 'INVALID_MOVABLE_INK_URL', 400)
  }
}

/**
 * Checks the endpoint URL that Movable Ink gave the customer and returns it parsed. Throws a
 * MovableInkUrlError that names the setting and the fix: https only (http only to a loopback host), and no
 * credentials inside the URL, since they belong in the Username and Access Secret settings.
 */
export function checkMovableInkUrl(value: unknown): URL {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new MovableInkUrlError('is empty: paste the endpoint URL that Movable Ink gave you.')
  }
  const text = value.trim()
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new MovableInkUrlError(
      'is not a valid URL: paste the full endpoint URL that Movable Ink gave you, starting with https://.'
    )
  }
  if (url.username || url.password) {
    throw new MovableInkUrlError(
      'must not contain credentials: remove the "user:secret@" part and put them in the Username and Access Secret settings.'
    )
  }
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return url
    throw new MovableInkUrlError(
      `must use https: http is only allowed to a loopback host (localhost, 127.0.0.1, [::1]) for local testing; change "http://${url.host}" to "https://${url.host}".`
    )
  }
  throw new MovableInkUrlError(`must use https, not "${url.protocol.replace(/:$/, '')}".`)
}

/** The collector hosts Movable Ink's endpoints are known to live on (US and EU). */
export const KNOWN_COLLECTOR_HOSTS = ['collector.movableink-dmz.com', 'collector.micpn.com', 'collector.micpn-eu.com']

const ENDPOINT_PATH = /^\/behavioral\/([^/]+)\/?$/

/** The endpoint key of a Movable Ink endpoint path (`/behavioral/<key>`), still percent-encoded; else undefined. */
export function endpointKeyOf(pathname: string): string | undefined {
  return ENDPOINT_PATH.exec(pathname)?.[1]
}

/** The path of the endpoint with this key. */
export function endpointPath(key: string): string {
  return `/behavioral/${encodeURIComponent(key)}`
}

export interface MovableInkUrlShape {
  /** Whether the host is one of Movable Ink's known collector hosts. */
  knownHost: boolean
  /** The endpoint key, the part after `/behavioral/`, when the path has that shape. */
  endpointKey?: string
  /** What looks wrong, in plain words; empty when the URL has the shape of a Movable Ink endpoint. */
  warnings: string[]
}

/**
 * What the URL looks like next to a Movable Ink endpoint, `https://<collector host>/behavioral/<endpoint key>`.
 * Nothing here refuses a URL (hosts change, and loopback is for testing): the tools print the warnings so a
 * mistyped URL is noticed before Movable Ink answers 404. Assumes `checkMovableInkUrl` passed.
 */
export function describeMovableInkUrl(value: string): MovableInkUrlShape {
  const url = new URL(value.trim())
  const host = url.hostname.toLowerCase()
  const knownHost = KNOWN_COLLECTOR_HOSTS.includes(host)
  const warnings: string[] = []
  if (!knownHost && !isLoopbackHost(host)) {
    warnings.push(`its host "${host}" is not a known Movable Ink collector host (${KNOWN_COLLECTOR_HOSTS.join(', ')})`)
  }
  const key = endpointKeyOf(url.pathname)
  if (!key) {
    warnings.push(
      /^\/behavioral\/?$/.test(url.pathname)
        ? 'it has no endpoint key after /behavioral/'
        : `its path "${url.pathname}" is not /behavioral/<endpoint key>`
    )
  }
  if (url.search) warnings.push(`it has a query string ("${url.search}") that Movable Ink's endpoints do not use`)
  return { knownHost, ...(key ? { endpointKey: key } : {}), warnings }
}

/** One plain warning line about the Movable Ink URL, or undefined when it has the expected shape. */
export function movableInkUrlWarning(value: string): string | undefined {
  const { warnings } = describeMovableInkUrl(value)
  if (warnings.length === 0) return undefined
  return `Warning: the Movable Ink URL may be wrong: ${warnings.join(
    '; '
  )}. Movable Ink endpoints look like https://collector.movableink-dmz.com/behavioral/<endpoint key>.`
}
