/**
 * The jq paths in events, for the page's autocomplete: every key, each with a sample value, arrays as `[]`
 * (one value per item, as a field's path takes them). Keys that are not plain names use jq's bracket form:
 * `.["a.b"]`, `.properties["order id"]`.
 */

const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/
const MAX_DEPTH = 8
export const MAX_PATHS = 3000
const MAX_SAMPLE = 40

/** A key appended to a jq path. */
export function withKey(path: string, key: string): string {
  if (PLAIN.test(key)) return `${path}.${key}`
  return `${path === '' ? '.' : path}[${JSON.stringify(key)}]`
}

function sample(value: unknown): string {
  const text = JSON.stringify(value) ?? ''
  return text.length > MAX_SAMPLE ? `${text.slice(0, MAX_SAMPLE - 1)}…` : text
}

/** [path, sample value] pairs of every event, each path once, in the order first seen. */
export function eventPaths(values: unknown[]): [string, string][] {
  const found = new Map<string, string>()
  const walk = (value: unknown, path: string, depth: number) => {
    if (found.size >= MAX_PATHS || depth > MAX_DEPTH) return
    if (path && !found.has(path)) found.set(path, sample(value))
    if (Array.isArray(value)) for (const item of value) walk(item, `${path}[]`, depth + 1)
    else if (value && typeof value === 'object')
      for (const [key, child] of Object.entries(value)) walk(child, withKey(path, key), depth + 1)
  }
  for (const value of values) walk(value, '', 0)
  return [...found]
}
