import { isObject, transform } from '@segment/actions-core'
import type { JSONObject } from '@segment/actions-core'
import { identityProblem, timestampProblem } from '../destinations/movable-ink/checkEventRequirements'
import { findHeaderProblems } from '../destinations/movable-ink/checkHeaders'
import { findRecommendations } from '../destinations/movable-ink/checkEventRecommendations'
import type { Recommendation } from '../destinations/movable-ink/checkEventRecommendations'
import { MAX_REQUEST_BYTES } from '../destinations/movable-ink/limits'
import { checkRequestSize } from '../destinations/movable-ink/prepareEvent'
import { REDACTED_AUTHORIZATION } from '../runtime/redactor'
import { DestinationRunner } from '../runtime/destinationRunner'
import type { Outcome } from '../runtime/outcome'
import type { SubscriptionSpec } from '../runtime/subscriptions'
import type { Settings } from '../destinations/movable-ink/generated-types'
import type { CaptureServer, Captured } from './captureServer'
import type { PreviewRequest, PreviewResult, PreviewSize, SegmentRule } from './previewTypes'
import { addWarnings } from './warningCodes'

/**
 * The Segment side of one event under one subscription: the mapped payload, and the request the destination
 * actually makes, run through the real runtime against a capture server on loopback, so it is header for
 * header and byte for byte what would be sent; only the address is put back to the configured URL, and the
 * Authorization value is redacted.
 */

/** Where the request appears to go: the configured URL and its host, or placeholders. */
export interface ShownAddress {
  url: string
  host: string
}

function requestOf(captured: Captured, shown: ShownAddress): PreviewRequest {
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

function sizeOf(bytes: number): PreviewSize {
  return {
    bytes,
    limitBytes: MAX_REQUEST_BYTES,
    percentOfLimit: Math.round((bytes / MAX_REQUEST_BYTES) * 10000) / 100,
    withinLimit: bytes < MAX_REQUEST_BYTES
  }
}

interface Checked {
  errors: string[]
  errorRules: SegmentRule[]
  warnings: Recommendation[]
}

/** The checks the destination makes, as preview reports them (all of them, not only the first), each with its rule. */
function checkMapped(mapped: JSONObject, bytes: number | undefined, now: number): Checked {
  const data = isObject(mapped.data) ? mapped.data : undefined
  const found: [SegmentRule, string | undefined][] = []
  if (data) found.push(['timestamp', timestampProblem(data)], ['identity', identityProblem(data)])
  for (const problem of findHeaderProblems(isObject(mapped.headers) ? mapped.headers : undefined))
    found.push(['headers', problem])
  if (bytes !== undefined) {
    try {
      checkRequestSize(bytes)
    } catch (error) {
      found.push(['size', (error as Error).message])
    }
  }
  const errors = found.filter((f): f is [SegmentRule, string] => f[1] !== undefined)
  return {
    errors: errors.map(([, message]) => message),
    errorRules: errors.map(([rule]) => rule),
    warnings: data ? findRecommendations(data, now) : []
  }
}

function parseBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}

/**
 * actions-core reports its schema validation as an `AggregateAjvError` for one event and as
 * PAYLOAD_VALIDATION_FAILED for an event of a batch: one rule, so both paths name it alike.
 */
function runtimeCode(code: string): string {
  return code === 'AggregateAjvError' ? 'PAYLOAD_VALIDATION_FAILED' : code
}

/** mapping-kit's output for an event, or why it could not be applied. */
type Mapped = { payload: JSONObject; error?: undefined } | { payload?: undefined; error: string }

/** One subscription's side of every event previewed: its runner posts to the capture server. */
export class SubscriptionPreview {
  private readonly runner: DestinationRunner
  private batchRunner?: DestinationRunner

  constructor(
    readonly subscription: SubscriptionSpec,
    private readonly settings: Settings,
    private readonly capture: CaptureServer
  ) {
    this.runner = new DestinationRunner(settings, subscription)
  }

  matches(event: Record<string, unknown>): boolean {
    return this.runner.matches(event)
  }

  private mapped(event: Record<string, unknown>): Mapped {
    try {
      return { payload: transform(this.subscription.mapping, event) }
    } catch (error) {
      return { error: (error as Error).message }
    }
  }

  /** The result for one event, and what Movable Ink would receive (for its side), if anything. */
  async preview(event: Record<string, unknown>, shown: ShownAddress, now: number) {
    const mapped = this.mapped(event)
    this.capture.captured.length = 0
    const { outcome } = await this.runner.run(event)
    return this.resultOf(mapped, outcome, now, this.capture.captured[0], shown)
  }

  /**
   * Many events (each taken by this subscription) through the runtime's batch path, `Destination.onBatch` with
   * `batch_size` events per request, for a run over many events where no request is shown: the same mapping,
   * checks and runtime verdict per event as `preview`, without a request of its own per event (results have
   * no `request`; the size is that of the event's body, which the runtime's `prepareEvent` measures alike).
   */
  async previewMany(events: Record<string, unknown>[], now: number, batchSize: number) {
    this.batchRunner ??= new DestinationRunner(this.settings, this.subscription, { batchSize })
    const outcomes = await this.batchRunner.sendMany(events)
    this.capture.captured.length = 0
    return events.map((event, i) => this.resultOf(this.mapped(event), outcomes[i], now))
  }

  private resultOf(mapped: Mapped, outcome: Outcome, now: number, captured?: Captured, shown?: ShownAddress) {
    const result: PreviewResult = {
      subscription: this.subscription.name,
      errors: [],
      errorRules: [],
      warnings: [],
      warningCodes: []
    }
    if (mapped.payload) result.mappedPayload = mapped.payload
    else {
      result.errors.push(`The mapping could not be applied: ${mapped.error}`)
      result.errorRules.push('mapping')
    }
    if (captured && shown) result.request = requestOf(captured, shown)
    const data = isObject(mapped.payload?.data) ? mapped.payload?.data : undefined
    const bytes = captured ? captured.body.length : data ? Buffer.byteLength(JSON.stringify(data)) : undefined
    if (bytes !== undefined) result.size = sizeOf(bytes)
    const checks = mapped.payload ? checkMapped(mapped.payload, bytes, now) : undefined
    if (checks) {
      result.errors.push(...checks.errors)
      result.errorRules.push(...checks.errorRules)
      addWarnings(result, checks.warnings)
    }
    // The runtime refusing the payload is what the checks above already said, one problem per entry.
    const alreadySaid =
      outcome.kind === 'failed' && outcome.code === 'PAYLOAD_VALIDATION_FAILED' && (checks?.errors.length ?? 0) > 0
    if (outcome.kind === 'failed' && !alreadySaid) {
      result.errors.push(outcome.message)
      result.errorRules.push(`runtime:${runtimeCode(outcome.code)}`)
    }
    const received = captured ? parseBody(captured.body) : data
    return { result, received }
  }
}
