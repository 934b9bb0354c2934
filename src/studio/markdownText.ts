/**
 * Text from events and mappings put into Markdown so that no renderer runs or links any of it: HTML's own
 * characters become entities (`<script>`, `<img onerror>` and `<javascript:…>` autolinks are shown, never
 * parsed), and the Markdown that could link or cut is escaped with a backslash: `[` and `]` (no
 * `[link](javascript:…)` or image), `` ` `` (no code span that swallows the text after it), `|` (no table cell cut
 * short) and `\` itself. Emphasis is left alone: it runs nothing, and escaping it would make jq paths unreadable.
 * Line breaks become spaces: a value cannot start a heading or a list of its own.
 */

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' }

/** CommonMark's backslash escapes, for the characters that start links, images and code spans, or cut cells. */
const MARKDOWN_PUNCTUATION = /[\\`[\]|]/g

export function mdText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[&<>]/g, (c) => HTML_ENTITIES[c])
    .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`)
}

/**
 * A code span that holds any text: its fence is longer than any run of backticks inside (CommonMark's rule), so
 * a backtick in a jq expression cannot end it and turn the rest into Markdown or HTML.
 */
export function mdCode(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ')
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longest + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}
