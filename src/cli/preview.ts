import { statSync } from 'fs'
import { createServer } from 'http'
import type { Server } from 'http'
import type { AddressInfo } from 'net'
import { Destination, isObject, transform } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../destinations/movable-ink'
import type { Settings } from '../destinations/movable-ink/generated-types'
import { findRequirementProblems } from '../destinations/movable-ink/checkEventRequirements'
import { findHeaderProblems } from '../destinations/movable-ink/checkHeaders'
import { findRecommendations } from '../destinations/movable-ink/checkEventRecommendations'
import { MAX_REQUEST_BYTES } from '../destinations/movable-ink/limits'
import { checkMovableInkUrl, movableInkUrlWarning } from '../destinations/movable-ink/movableInkUrl'
import { checkRequestSize, formatBytes } from '../destinations/movable-ink/prepareEvent'
import { readEvents } from './readEvents'
import type { InputFormat } from './readEvents'
import { describeEvent, loadSubscriptions, matcherFor, presetSubscriptions } from './runtime'
import type { SubscriptionSpec } from './runtime'
import { REDACTED_AUTHORIZATION, Redactor, settingsFromOptions, UsageError } from './settings'
import type { SettingsOptions } from './settings'

/**
 * `preview`: the offline "Test Mapping". Each event runs through the real runtime (`Destination.onEvent`, the
 * subscription, mapping-kit, validation, the action) against a capture server on loopback that answers 200,
 * so the request shown is the one the destination actually makes, header for header and byte for byte; only
 * the address is put back to the configured URL, and the Authorization value is redacted.
 */

export interface PreviewOptions extends SettingsOptions {
  files: string[]
  format?: InputFormat
  mapping?: string
  json?: boolean
  now?: number
  out?: NodeJS.WritableStream
}

export interface PreviewRequest {
  method: string
  url: string
  /** In the order and spelling they go on the wire. */
  headers: [string, string][]
  body: string
}

export interface PreviewResult {
  subscription: string
  mappedPayload?: unknown
  request?: PreviewRequest
  size?: { bytes: number; limitBytes: number; percentOfLimit: number; withinLimit: boolean }
  errors: string[]
  warnings: string[]
}

export interface PreviewItem {
  source: string
  line: number
  event?: string
  malformed?: string
  subscriptions: { name: string; subscribe: string; matches: boolean }[]
  results: PreviewResult[]
}

const UNSET_URL = '<your Movable Ink URL>'

interface Captured {
  method: string
  path: string
  rawHeaders: string[]
  body: Buffer
}

async function startCaptureServer(): Promise<{ server: Server; url: string; captured: Captured[] }> {
  const captured: Captured[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      captured.push({
        method: req.method ?? '',
        path: req.url ?? '',
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks)
      })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, captured }
}

export async function runPreview(options: PreviewOptions): Promise<{ items: number; withErrors: number }> {
  const out = options.out ?? process.stdout
  const given = settingsFromOptions(options)
  const redactor = new Redactor().add(given.username, given.password)
  const write = (text: string) => out.write(redactor.redact(text))

  if (options.files.length === 0) throw new UsageError('No input: give one or more files, or - for stdin.')
  for (const file of options.files) {
    if (file === '-') continue
    try {
      statSync(file)
    } catch {
      throw new UsageError(`Input file ${file} does not exist or cannot be read.`)
    }
  }
  let shownUrl = UNSET_URL
  let shownHost = '<its host>'
  if (given.url) {
    try {
      const url = checkMovableInkUrl(given.url)
      shownUrl = given.url.trim()
      shownHost = url.host
      const warning = movableInkUrlWarning(shownUrl)
      if (warning) process.stderr.write(warning + '\n')
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
  }
  const subscriptions = options.mapping ? loadSubscriptions(options.mapping) : presetSubscriptions()
  const matchers = subscriptions.map((s) => matcherFor(s.subscribe))

  const capture = await startCaptureServer()
  const destination = new Destination<Settings>(definition)
  const settings: Settings = {
    movable_ink_url: `${capture.url}/preview`,
    username: given.username ?? 'username',
    password: given.password ?? 'access-secret'
  }

  const previewOne = async (event: Record<string, unknown>, subscription: SubscriptionSpec): Promise<PreviewResult> => {
    const result: PreviewResult = { subscription: subscription.name, errors: [], warnings: [] }
    let mapped: JSONObject | undefined
    try {
      mapped = transform(subscription.mapping, event)
      result.mappedPayload = mapped
    } catch (error) {
      result.errors.push(`The mapping could not be applied: ${(error as Error).message}`)
    }

    capture.captured.length = 0
    let runtimeError: string | undefined
    try {
      await destination.onEvent(event as unknown as SegmentEvent, {
        ...(settings as unknown as JSONObject),
        subscription: { ...subscription } as unknown as JSONObject
      })
    } catch (error) {
      runtimeError = (error as Error).message
    } finally {
      destination.responses.length = 0
    }
    const request = capture.captured[0]
    if (request) {
      const headers: [string, string][] = []
      for (let i = 0; i < request.rawHeaders.length; i += 2) {
        const name = request.rawHeaders[i]
        const lower = name.toLowerCase()
        const value =
          lower === 'authorization' ? REDACTED_AUTHORIZATION : lower === 'host' ? shownHost : request.rawHeaders[i + 1]
        headers.push([name, value])
      }
      result.request = { method: request.method, url: shownUrl, headers, body: request.body.toString('utf8') }
    }

    const data = isObject(mapped?.data) ? mapped?.data : undefined
    const bytes = request ? request.body.length : data ? Buffer.byteLength(JSON.stringify(data)) : undefined
    if (bytes !== undefined) {
      result.size = {
        bytes,
        limitBytes: MAX_REQUEST_BYTES,
        percentOfLimit: Math.round((bytes / MAX_REQUEST_BYTES) * 10000) / 100,
        withinLimit: bytes < MAX_REQUEST_BYTES
      }
    }
    if (mapped) {
      if (data) result.errors.push(...findRequirementProblems(data))
      result.errors.push(...findHeaderProblems(isObject(mapped.headers) ? mapped.headers : undefined))
      if (bytes !== undefined) {
        try {
          checkRequestSize(bytes)
        } catch (error) {
          result.errors.push((error as Error).message)
        }
      }
      if (data) result.warnings.push(...findRecommendations(data, options.now ?? Date.now()))
    }
    if (runtimeError !== undefined && !result.errors.some((problem) => runtimeError?.includes(problem))) {
      result.errors.push(runtimeError)
    }
    return result
  }

  let count = 0
  let withErrors = 0
  if (options.json) write('[')
  try {
    for (const file of options.files) {
      for await (const input of readEvents(file, options.format ?? 'auto')) {
        const item: PreviewItem = { source: input.source, line: input.line, subscriptions: [], results: [] }
        if (input.kind === 'malformed') {
          item.malformed = input.reason
        } else {
          item.event = describeEvent(input.event)
          item.subscriptions = subscriptions.map((s, i) => ({
            name: s.name,
            subscribe: s.subscribe,
            matches: matchers[i](input.event)
          }))
          for (let i = 0; i < subscriptions.length; i++) {
            if (item.subscriptions[i].matches) item.results.push(await previewOne(input.event, subscriptions[i]))
          }
        }
        if (item.malformed || item.results.some((r) => r.errors.length > 0)) withErrors++
        if (options.json) write(`${count === 0 ? '\n' : ',\n'}${JSON.stringify(item, null, 2)}`)
        else write(formatItem(item, count + 1))
        count++
      }
    }
  } finally {
    await new Promise((resolve) => capture.server.close(resolve))
  }
  if (options.json) write(count === 0 ? ']\n' : '\n]\n')
  else
    write(
      `${count} event${
        count === 1 ? '' : 's'
      } previewed, ${withErrors} with errors (would be refused). Nothing was sent.\n`
    )
  return { items: count, withErrors }
}

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
    lines.push(`Errors:`, `  ✗ Malformed input: ${item.malformed}`, '')
    return lines.join('\n') + '\n'
  }
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
  }
  lines.push('')
  return lines.join('\n') + '\n'
}
