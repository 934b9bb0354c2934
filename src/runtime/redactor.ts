import { basicCredentials } from '../destinations/movable-ink/basicAuthorization'

/** How the Authorization header is shown wherever a request is shown. */
export const REDACTED_AUTHORIZATION = 'Basic [redacted]'

/**
 * Removes credentials from text before it is printed or written: the Access Secret itself (whatever its
 * length; the commands refuse one shorter than MIN_SECRET_LENGTH, see settings.ts, so that one cannot garble
 * ordinary words), the value of any Basic Authorization header made from it, and any Authorization header value
 * at all. Nothing prints settings anyway; this is a second line of defence.
 */
export class Redactor {
  private secrets: string[] = []

  add(username: string | undefined, password: string | undefined): this {
    if (password) {
      this.secrets.push(password)
      this.secrets.push(basicCredentials(username ?? '', password))
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
