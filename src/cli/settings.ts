import { checkMovableInkUrl } from '../destinations/movable-ink/movableInkUrl'
import type { Settings } from '../destinations/movable-ink/generated-types'
import { basicCredentials } from '../destinations/movable-ink/basicAuthorization'

/** A mistake in how the command was called (flags, settings, files): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export interface SettingsOptions {
  url?: string
  username?: string
  accessSecret?: string
}

/** Settings from flags first, then the environment. `url` is undefined when neither gives one. */
export function settingsFromOptions(
  options: SettingsOptions,
  env: NodeJS.ProcessEnv = process.env
): {
  url?: string
  username?: string
  password?: string
} {
  const pick = (flag: string | undefined, name: string) => {
    const value = flag ?? env[name]
    return value === undefined || value === '' ? undefined : value
  }
  return {
    url: pick(options.url, 'MOVABLE_INK_URL'),
    username: pick(options.username, 'MOVABLE_INK_USERNAME'),
    password: pick(options.accessSecret, 'MOVABLE_INK_ACCESS_SECRET')
  }
}

/** Complete settings for a real endpoint, or a UsageError naming the missing flag or variable. */
export function requireSettings(given: { url?: string; username?: string; password?: string }): Settings {
  if (!given.url) throw new UsageError('No Movable Ink URL: pass --url or set MOVABLE_INK_URL.')
  try {
    checkMovableInkUrl(given.url)
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  if (!given.username)
    throw new UsageError('No username: pass --username or set MOVABLE_INK_USERNAME (your Movable Ink Access Key ID).')
  if (!given.password) {
    throw new UsageError(
      'No Access Secret: set MOVABLE_INK_ACCESS_SECRET (or pass --access-secret; the environment keeps it out of your shell history).'
    )
  }
  return { movable_ink_url: given.url.trim(), username: given.username, password: given.password }
}

/**
 * Removes credentials from text before it is printed or written: the Access Secret itself, the value of any
 * Basic Authorization header made from it, and any Authorization header value at all.
 */
const MIN_REDACTED_LENGTH = 6

export class Redactor {
  private secrets: string[] = []

  add(username: string | undefined, password: string | undefined): this {
    // A very short secret cannot be told apart from ordinary text ("S" is in "Sent"), so it is not searched
    // for; nothing prints settings anyway, this is a second line of defence.
    if (password && password.length >= MIN_REDACTED_LENGTH) {
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

export const REDACTED_AUTHORIZATION = 'Basic [redacted]'
