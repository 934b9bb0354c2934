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

/** Settings from flags first, then the environment. `url` is undefined when neither gives one. */
export function settingsFromOptions(options: SettingsOptions, env: NodeJS.ProcessEnv = process.env): GivenSettings {
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
  return { movable_ink_url: given.url.trim(), username: given.username, password: given.password }
}
