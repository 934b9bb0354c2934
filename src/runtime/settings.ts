import { checkMovableInkUrl } from '../destinations/movable-ink/movableInkUrl'
import type { Settings } from '../destinations/movable-ink/generated-types'

/** Settings that are missing or invalid, with the setting (`url`, `username`, `password`) to fix. */
export class SettingsError extends Error {
  readonly name = 'SettingsError'
  constructor(message: string, readonly setting: 'url' | 'username' | 'password') {
    super(message)
  }
}

export interface SettingsOptions {
  url?: string
  username?: string
  accessSecret?: string
}

export interface GivenSettings {
  url?: string
  username?: string
  password?: string
}

/**
 * The shortest Access Secret a command takes. Movable Ink's are far longer; a shorter one is a truncated paste
 * or the wrong variable, and a secret of a few characters cannot be masked in the output without masking
 * ordinary words too ("s" is in "events"). The stand-in library itself accepts any.
 */
export const MIN_SECRET_LENGTH = 8

/** Whether an Access Secret is long enough to take (and to mask in the output without garbling it). */
export function secretLongEnough(password: string): boolean {
  return password.length >= MIN_SECRET_LENGTH
}

/** A SettingsError when an Access Secret is given and is shorter than MIN_SECRET_LENGTH; it is never quoted. */
export function checkAccessSecret(password: string | undefined): void {
  if (password === undefined || secretLongEnough(password)) return
  throw new SettingsError(
    `The Access Secret is shorter than ${MIN_SECRET_LENGTH} characters: Movable Ink's are longer, so this one is cut short or the wrong value (and one that short could not be masked in the output without garbling ordinary words). Set MOVABLE_INK_ACCESS_SECRET (or --access-secret) to the whole Access Secret (for the stand-in, any ${MIN_SECRET_LENGTH} characters or more).`,
    'password'
  )
}

/**
 * Settings from flags first, then the environment `env` (the command's: the process's own, or a test's). `url` is undefined when neither gives one. A given
 * Access Secret that breaks the length rule is a SettingsError (checkAccessSecret).
 */
export function settingsFromOptions(options: SettingsOptions, env: NodeJS.ProcessEnv): GivenSettings {
  const pick = (flag: string | undefined, name: string) => {
    const value = flag ?? env[name]
    return value === undefined || value === '' ? undefined : value
  }
  const password = pick(options.accessSecret, 'MOVABLE_INK_ACCESS_SECRET')
  checkAccessSecret(password)
  return {
    url: pick(options.url, 'MOVABLE_INK_URL'),
    username: pick(options.username, 'MOVABLE_INK_USERNAME'),
    password
  }
}

/** Complete settings for a real endpoint, or a SettingsError naming the missing flag or variable. */
export function requireSettings(given: GivenSettings): Settings {
  if (!given.url) throw new SettingsError('No Movable Ink URL: pass --url or set MOVABLE_INK_URL.', 'url')
  try {
    checkMovableInkUrl(given.url)
  } catch (error) {
    throw new SettingsError((error as Error).message, 'url')
  }
  if (!given.username)
    throw new SettingsError(
      'No username: pass --username or set MOVABLE_INK_USERNAME (your Movable Ink Access Key ID).',
      'username'
    )
  if (!given.password) {
    throw new SettingsError(
      'No Access Secret: set MOVABLE_INK_ACCESS_SECRET (or pass --access-secret; the environment keeps it out of your shell history).',
      'password'
    )
  }
  checkAccessSecret(given.password)
  return { movable_ink_url: given.url.trim(), username: given.username, password: given.password }
}
