import { basicCredentials } from '../destinations/movable-ink/basicAuthorization'

/** How the Authorization header is shown wherever a request is shown. */
export const REDACTED_AUTHORIZATION = 'Basic [redacted]'

/** A secret shorter than this cannot be told apart from ordinary text ("S" is in "Sent"). */
export const SHORT_SECRET_LENGTH = 6

/** What a command says once when a secret that short is configured: it is masked all the same. */
export const SHORT_SECRET_NOTICE = `Note: the Access Secret is shorter than ${SHORT_SECRET_LENGTH} characters, so it is masked as [redacted] wherever it appears in the output, in ordinary words too.`

/**
 * Removes credentials from text before it is printed or written: the Access Secret itself (whatever its
 * length: a short one is masked inside ordinary words too, and `hasShortSecret` says so), the value of any
 * Basic Authorization header made from it, and any Authorization header value at all. Nothing prints settings
 * anyway; this is a second line of defence.
 */
export class Redactor {
  private secrets: string[] = []
  /** Whether a secret shorter than SHORT_SECRET_LENGTH is masked, so that ordinary text may be too. */
  hasShortSecret = false

  add(username: string | undefined, password: string | undefined): this {
    if (password) {
      this.secrets.push(password)
      this.secrets.push(basicCredentials(username ?? '', password))
      if (password.length < SHORT_SECRET_LENGTH) this.hasShortSecret = true
    }
    this.secrets = [...new Set(this.secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)
    return this
  }

  redact(text: string): string {
    let result = text
    for (const secret of this.secrets) {
      if (result.includes(secret)) result = result.split(secret).join('[redacted]')
    }
    return result.replace(/(authorization["']?\s*[:=]\s*["']?(?:basic|bearer)\s+)[A-Za-z0-9+/=._-]+/gi, '$1[redacted]')
  }
}
