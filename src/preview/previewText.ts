import { MAX_REQUEST_BYTES } from '../destinations/movable-ink/limits'
import { formatBytes } from '../destinations/movable-ink/prepareEvent'
import { describeMembership } from '../events/engage'
import type { PreviewItem } from './previewTypes'
import { formatMovableInk } from './movableInkText'

/** preview's text form: one block per event, for people. */

const MAX_SHOWN_BODY = 4000
const MAX_SHOWN_LINES = 120

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n')
}

function shorten(text: string, what: string): string {
  const lines = text.split('\n')
  if (lines.length > MAX_SHOWN_LINES)
    return (
      lines.slice(0, MAX_SHOWN_LINES).join('\n') +
      `\n… ${lines.length - MAX_SHOWN_LINES} more lines of ${what} (--json shows all)`
    )
  if (text.length > MAX_SHOWN_BODY)
    return (
      text.slice(0, MAX_SHOWN_BODY) + `… ${text.length - MAX_SHOWN_BODY} more characters of ${what} (--json shows all)`
    )
  return text
}

export function formatItem(item: PreviewItem, n: number): string {
  const lines: string[] = []
  lines.push(`── Event ${n}: ${item.event ?? 'malformed input'} (${item.source}:${item.line})`)
  if (item.malformed) {
    lines.push(`Errors:`, `  ✗ ${item.refused ? 'Refused' : 'Malformed input'}: ${item.malformed}`, '')
    return lines.join('\n') + '\n'
  }
  if (item.engage) lines.push(describeMembership(item.engage))
  lines.push('Subscriptions:')
  for (const s of item.subscriptions)
    lines.push(`  ${s.matches ? '✓ matches' : '✗ no match'}  ${s.name}: ${s.subscribe}`)
  if (item.results.length === 0) lines.push('  No subscription matches: this event would not be sent.')
  for (const result of item.results) {
    const label = item.results.length > 1 ? ` (${result.subscription})` : ''
    lines.push(`Mapped payload${label}:`)
    lines.push(
      result.mappedPayload === undefined
        ? '  (none)'
        : indent(shorten(JSON.stringify(result.mappedPayload, null, 2), 'the payload'), '  ')
    )
    if (result.request) {
      lines.push(`HTTP request${label}:`)
      lines.push(`  ${result.request.method} ${result.request.url}`)
      for (const [name, value] of result.request.headers) lines.push(`  ${name}: ${value}`)
      lines.push('')
      lines.push(indent(shorten(result.request.body, 'the body'), '  '))
    } else {
      lines.push(
        `HTTP request${label}: none, the destination would refuse this event before sending it (see the errors).`
      )
    }
    if (result.size) {
      lines.push(
        `Size: ${formatBytes(result.size.bytes)} (${
          result.size.bytes
        } bytes) of the 2 MB limit (${MAX_REQUEST_BYTES} bytes): ${result.size.percentOfLimit}%${
          result.size.withinLimit ? '' : ', TOO LARGE'
        }`
      )
    }
    lines.push(
      result.errors.length === 0
        ? 'Errors: none'
        : `Errors (${result.errors.length}, Movable Ink would refuse this event):`
    )
    for (const error of result.errors) lines.push(`  ✗ ${error}`)
    lines.push(result.warnings.length === 0 ? 'Warnings: none' : `Warnings (${result.warnings.length}):`)
    for (const warning of result.warnings) lines.push(`  ! ${warning}`)
    if (result.movableInk) lines.push(...formatMovableInk(result.movableInk, label))
  }
  lines.push('')
  return lines.join('\n') + '\n'
}
