import { statSync } from 'fs'
import { Destination, isObject, transform } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../destinations/movable-ink'
import type { Settings } from '../destinations/movable-ink/generated-types'
import { findRequirementProblems } from '../destinations/movable-ink/checkEventRequirements'
import { findHeaderProblems } from '../destinations/movable-ink/checkHeaders'
import { findRecommendations } from '../destinations/movable-ink/checkEventRecommendations'
import { MAX_REQUEST_BYTES } from '../destinations/movable-ink/limits'
import { checkMovableInkUrl, movableInkUrlWarning } from '../destinations/movable-ink/movableInkUrl'
import { checkRequestSize } from '../destinations/movable-ink/prepareEvent'
import { evaluateEvents, loadEndpointFile, DEFAULT_ENDPOINT_FILE, EndpointFileError } from '../endpointModel'
import type { CompiledEndpoint, EventEvaluation } from '../endpointModel'
import { startCaptureServer } from './captureServer'
import type { Captured } from './captureServer'
import { formatItem } from './previewText'
import { hasErrors, PreviewTally, summarizePreview } from './previewSummary'
import { readEvents } from './readEvents'
import type { InputFormat, InputItem } from './readEvents'
import { describeEvent, loadSubscriptions, matcherFor, presetSubscriptions } from './runtime'
import type { SubscriptionSpec } from './runtime'
import { REDACTED_AUTHORIZATION, Redactor, settingsFromOptions, UsageError } from './settings'
import type { SettingsOptions } from './settings'

export { formatItem }
export { hasErrors, PreviewTally, summarizePreview }

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
  /** The Movable Ink endpoint file (event mappings); default: examples/movable-ink-endpoint.json. */
  endpoint?: string
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
  /** What Movable Ink's event mappings make of what it would receive (the request body, else the mapped Data). */
  movableInk?: EventEvaluation
}

export interface PreviewItem {
  source: string
  line: number
  event?: string
  malformed?: string
  subscriptions: { name: string; subscribe: string; matches: boolean }[]
  results: PreviewResult[]
}

export interface PreviewerOptions {
  /** Shown in the request (the secret redacted); none is needed. */
  settings: { url?: string; username?: string; password?: string }
  subscriptions: SubscriptionSpec[]
  /** Movable Ink's side; without it, results have no `movableInk`. */
  endpoint?: CompiledEndpoint
  now?: number
}

export interface Previewer {
  /** What the configured URL looks wrong about, if anything (for a warning). */
  readonly urlWarning?: string
  previewEvent(input: InputItem): Promise<PreviewItem>
  /** The same for many events, the Movable Ink side of all of them in one jq run (one call at a time). */
  previewEvents(inputs: InputItem[]): Promise<PreviewItem[]>
  close(): Promise<void>
}

export interface PreviewSummary {
  events: number
  withErrors: number
  /** Events that would be sent and that an active Movable Ink event mapping takes. */
  mapped: number
  /** Events that would be sent but that no active mapping takes (the first few are named in `line`). */
  unmapped: number
  firstUnmapped: { event: string; source: string; line: number }[]
  line: string
}

const UNSET_URL = '<your Movable Ink URL>'

/** Events previewed together: one jq run for their Movable Ink side, and at most this many held in memory. */
const PREVIEW_CHUNK = 100

/** Where the request appears to go: the configured URL and host, or placeholders; a UsageError if it is invalid. */
function shownAddress(url: string | undefined): { url: string; host: string; warning?: string } {
  if (!url) return { url: UNSET_URL, host: '<its host>' }
  try {
    const parsed = checkMovableInkUrl(url)
    return { url: url.trim(), host: parsed.host, warning: movableInkUrlWarning(url.trim()) }
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

function requestOf(captured: Captured, shown: { url: string; host: string }): PreviewRequest {
  const headers: [string, string][] = []
  for (let i = 0; i < captured.rawHeaders.length; i += 2) {
    const name = captured.rawHeaders[i]
    const lower = name.toLowerCase()
    const value =
      lower === 'authorization' ? REDACTED_AUTHORIZATION : lower === 'host' ? shown.host : captured.rawHeaders[i + 1]
    headers.push([name, value])
  }
  return { method: captured.method, url: shown.url, headers, body: captured.body.toString('utf8') }
}

function sizeOf(bytes: number): PreviewResult['size'] {
  return {
    bytes,
    limitBytes: MAX_REQUEST_BYTES,
    percentOfLimit: Math.round((bytes / MAX_REQUEST_BYTES) * 10000) / 100,
    withinLimit: bytes < MAX_REQUEST_BYTES
  }
}

/** The checks the destination makes, as preview reports them (all of them, not only the first). */
function checkMapped(
  mapped: JSONObject,
  bytes: number | undefined,
  now: number
): { errors: string[]; warnings: string[] } {
  const data = isObject(mapped.data) ? mapped.data : undefined
  const errors: string[] = []
  if (data) errors.push(...findRequirementProblems(data))
  errors.push(...findHeaderProblems(isObject(mapped.headers) ? mapped.headers : undefined))
  if (bytes !== undefined) {
    try {
      checkRequestSize(bytes)
    } catch (error) {
      errors.push((error as Error).message)
    }
  }
  return { errors, warnings: data ? findRecommendations(data, now) : [] }
}

function parseBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}

/** Preview as an in-process service: one capture server and one Destination for many events. */
export async function createPreviewer(options: PreviewerOptions): Promise<Previewer> {
  const shown = shownAddress(options.settings.url)
  const subscriptions = options.subscriptions
  const matchers = subscriptions.map((s) => matcherFor(s.subscribe))
  const capture = await startCaptureServer()
  const destination = new Destination<Settings>(definition)
  const settings: Settings = {
    movable_ink_url: `${capture.url}/preview`,
    username: options.settings.username ?? 'username',
    password: options.settings.password ?? 'access-secret'
  }

  const runDestination = async (event: Record<string, unknown>, subscription: SubscriptionSpec) => {
    capture.captured.length = 0
    try {
      await destination.onEvent(event as unknown as SegmentEvent, {
        ...(settings as unknown as JSONObject),
        subscription: { ...subscription } as unknown as JSONObject
      })
      return { captured: capture.captured[0] }
    } catch (error) {
      return { captured: capture.captured[0], error: (error as Error).message }
    } finally {
      destination.responses.length = 0
    }
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
    const run = await runDestination(event, subscription)
    if (run.captured) result.request = requestOf(run.captured, shown)
    const data = isObject(mapped?.data) ? mapped?.data : undefined
    const bytes = run.captured ? run.captured.body.length : data ? Buffer.byteLength(JSON.stringify(data)) : undefined
    if (bytes !== undefined) result.size = sizeOf(bytes)
    if (mapped) {
      const checks = checkMapped(mapped, bytes, options.now ?? Date.now())
      result.errors.push(...checks.errors)
      result.warnings.push(...checks.warnings)
    }
    const runtimeError = run.error
    if (runtimeError !== undefined && !result.errors.some((problem) => runtimeError.includes(problem))) {
      result.errors.push(runtimeError)
    }
    const received = run.captured ? parseBody(run.captured.body) : data
    if (options.endpoint && received !== undefined) pending.push({ result, received })
    return result
  }

  /** Results whose Movable Ink side is still to be evaluated, with what Movable Ink would receive. */
  let pending: { result: PreviewResult; received: unknown }[] = []

  const segmentSide = async (input: InputItem): Promise<PreviewItem> => {
    const item: PreviewItem = { source: input.source, line: input.line, subscriptions: [], results: [] }
    if (input.kind === 'malformed') {
      item.malformed = input.reason
      return item
    }
    item.event = describeEvent(input.event)
    item.subscriptions = subscriptions.map((s, i) => ({
      name: s.name,
      subscribe: s.subscribe,
      matches: matchers[i](input.event)
    }))
    for (let i = 0; i < subscriptions.length; i++) {
      if (item.subscriptions[i].matches) item.results.push(await previewOne(input.event, subscriptions[i]))
    }
    return item
  }

  // jq-web compiles its program on every run, so the Movable Ink side of many events is one run, not one each.
  const previewEvents = async (inputs: InputItem[]): Promise<PreviewItem[]> => {
    pending = []
    const items: PreviewItem[] = []
    for (const input of inputs) items.push(await segmentSide(input))
    const evaluated = pending
    pending = []
    if (options.endpoint && evaluated.length > 0) {
      const evaluations = await evaluateEvents(
        options.endpoint,
        evaluated.map((p) => p.received)
      )
      evaluated.forEach((p, i) => (p.result.movableInk = evaluations[i]))
    }
    return items
  }

  return {
    urlWarning: shown.warning,
    previewEvents,
    previewEvent: async (input: InputItem) => (await previewEvents([input]))[0],
    close: () => capture.close()
  }
}

function checkInputFiles(files: string[]): void {
  if (files.length === 0) throw new UsageError('No input: give one or more files, or - for stdin.')
  for (const file of files) {
    if (file === '-') continue
    try {
      statSync(file)
    } catch {
      throw new UsageError(`Input file ${file} does not exist or cannot be read.`)
    }
  }
}

/** The endpoint file to evaluate against; a broken one is a usage error that lists every mistake. */
export async function loadEndpoint(file: string | undefined): Promise<CompiledEndpoint> {
  try {
    return await loadEndpointFile(file ?? DEFAULT_ENDPOINT_FILE)
  } catch (error) {
    if (error instanceof EndpointFileError) throw new UsageError(error.message)
    throw error
  }
}

/** The `preview` command: a thin loop over createPreviewer, printing text or a JSON array, then the summary. */
export async function runPreview(options: PreviewOptions): Promise<PreviewSummary> {
  const out = options.out ?? process.stdout
  const given = settingsFromOptions(options)
  const redactor = new Redactor().add(given.username, given.password)
  const write = (text: string) => out.write(redactor.redact(text))

  checkInputFiles(options.files)
  const subscriptions = options.mapping ? loadSubscriptions(options.mapping) : presetSubscriptions()
  const endpoint = await loadEndpoint(options.endpoint)
  const previewer = await createPreviewer({ settings: given, subscriptions, endpoint, now: options.now })
  if (previewer.urlWarning) process.stderr.write(previewer.urlWarning + '\n')

  const tally = new PreviewTally()
  let count = 0
  if (options.json) write('[')
  try {
    const flush = async (inputs: InputItem[]) => {
      for (const item of await previewer.previewEvents(inputs)) {
        if (options.json) write(`${count === 0 ? '\n' : ',\n'}${JSON.stringify(item, null, 2)}`)
        else write(formatItem(item, count + 1))
        tally.add(item)
        count++
      }
    }
    let chunk: InputItem[] = []
    for (const file of options.files) {
      for await (const input of readEvents(file, options.format ?? 'auto')) {
        chunk.push(input)
        if (chunk.length < PREVIEW_CHUNK) continue
        await flush(chunk)
        chunk = []
      }
    }
    await flush(chunk)
  } finally {
    await previewer.close()
  }
  const summary = tally.summary()
  if (options.json) write(count === 0 ? ']\n' : '\n]\n')
  // With --json, stdout stays one JSON array for scripts; the closing lines go to people on stderr.
  if (options.json) process.stderr.write(redactor.redact(summary.line + '\n'))
  else write(summary.line + '\n')
  return summary
}
