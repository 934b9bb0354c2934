/**
 * The one definition of an absent identifier (`userId`, `anonymousId`), for both sides of a delivery: missing,
 * `null`, or a string with nothing but blanks. Segment's libraries send `""` for "no user" in places, and
 * Movable Ink cannot tie an event to nobody, so the destination's identity rule and the model of Movable Ink's
 * mappings (a required UserID or AnonymousId field) both count such a value as no id at all.
 */
export function isAbsentId(value: unknown): boolean {
  if (value === undefined || value === null) return true
  return typeof value === 'string' && value.trim() === ''
}
