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
