/**
 * Text from an input made safe to show on a terminal: control characters (C0 but the tab, DEL, C1) and the
 * characters that reorder or break lines (bidirectional overrides, line and paragraph separators) written as
 * JSON escapes them, `\u001b`. A malformed line's text ends up in error messages; an escape sequence in it must
 * not clear the screen or set the window's title.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** A name from an input, quoted as JSON quotes it, and printable. */
export function quoted(text: string): string {
  return printable(JSON.stringify(text))
}
