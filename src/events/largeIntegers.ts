/**
 * Integers that JSON numbers cannot hold: JSON.parse (and Segment's platform, which parses JSON the same way)
 * reads every number as a double, exact up to 2^53 only, so an order id like 12345678901234567890 arrives as
 * 12345678901234567000. Once parsed, the digits are gone: this scanner reads the raw text, tracking where it
 * is (object keys, array indices), and names each such integer by its path.
 */

export interface UnsafeInteger {
  /** Where it is: keys and array indices from the top of the JSON text. */
  path: (string | number)[]
  /** As written in the text. */
  written: string
  /** What a JSON parser makes of it. */
  read: number
}

const QUOTE = 34
const BACKSLASH = 92
const LIMIT = BigInt(2) ** BigInt(53)
/** Only a run of 16 or more digits can be beyond 2^53 (9007199254740992): most texts are passed at once. */
const LONG_DIGITS = /\d{16}/
const INTEGER = /^-?\d+$/

interface Frame {
  inObject: boolean
  key?: string
  index: number
  /** In an object: the next string is a key. */
  expectKey: boolean
}

/** The index just after the string that starts at `start` (its opening quote). */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === BACKSLASH) i++
    else if (code === QUOTE) return i + 1
  }
  return text.length
}

function numberEnd(text: string, start: number): number {
  let i = start
  while (i < text.length && /[-+0-9.eE]/.test(text[i])) i++
  return i
}

function keyOf(token: string): string {
  try {
    return String(JSON.parse(token))
  } catch {
    return token.slice(1, -1)
  }
}

function beyondLimit(token: string): boolean {
  const value = BigInt(token)
  return value > LIMIT || value < -LIMIT
}

/** Every integer of a JSON text beyond ±2^53, with its path; [] for the (usual) text without one. */
export function unsafeIntegers(text: string): UnsafeInteger[] {
  if (!LONG_DIGITS.test(text)) return []
  const found: UnsafeInteger[] = []
  const stack: Frame[] = []
  const here = () => stack.map((f) => (f.inObject ? f.key ?? '' : f.index))
  for (let i = 0; i < text.length; ) {
    const char = text[i]
    const top = stack[stack.length - 1]
    if (text.charCodeAt(i) === QUOTE) {
      const end = stringEnd(text, i)
      if (top?.inObject && top.expectKey) [top.key, top.expectKey] = [keyOf(text.slice(i, end)), false]
      i = end
    } else if (char === '{' || char === '[') {
      stack.push({ inObject: char === '{', index: 0, expectKey: char === '{' })
      i++
    } else if (char === '}' || char === ']') {
      stack.pop()
      i++
    } else if (char === ',') {
      if (top?.inObject) top.expectKey = true
      else if (top) top.index++
      i++
    } else if (char === '-' || (char >= '0' && char <= '9')) {
      const end = numberEnd(text, i)
      const token = text.slice(i, end)
      if (token.length >= 16 && INTEGER.test(token) && beyondLimit(token))
        found.push({ path: here(), written: token, read: Number(token) })
      i = end
    } else i++
  }
  return found
}

/** `properties.order_id`, `products[0].sku`, `["odd key"]`: a path as people read it. */
export function pathText(path: (string | number)[]): string {
  return path
    .map((part, i) =>
      typeof part === 'number'
        ? `[${part}]`
        : /^[A-Za-z_$][\w$]*$/.test(part)
        ? `${i === 0 ? '' : '.'}${part}`
        : `[${JSON.stringify(part)}]`
    )
    .join('')
}

/** The warning preview and the studio give for one such integer: the field, what it becomes, and the fix. */
export function unsafeIntegerWarning(integer: UnsafeInteger): string {
  const read = String(integer.read)
  const becomes =
    read === integer.written
      ? 'this one happens to survive, but its neighbours do not'
      : `it is read as ${read}, here as in Segment's pipeline`
  return (
    `${pathText(integer.path)} is ${integer.written}, beyond 2^53, the largest integer a JSON number holds exactly: ` +
    `${becomes}. Have the source send it as a string ("${integer.written}"); ` +
    'a "| tostring" in the event mapping cannot bring the lost digits back.'
  )
}
