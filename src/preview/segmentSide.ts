import { isObject, transform } from '@segment/actions-core'
import type { JSONObject } from '@segment/actions-core'
import { findRequirementProblems } from '../destinations/movable-ink/checkEventRequirements'
import { findHeaderProblems } from '../destinations/movable-ink/checkHeaders'
import { findRecommendations } from '../destinations/movable-ink/checkEventRecommendations'
import { MAX_REQUEST_BYTES } from '../destinations/movable-ink/limits'
import { checkRequestSize } from '../destinations/movable-ink/prepareEvent'
import { REDACTED_AUTHORIZATION } from '../runtime/redactor'
import { DestinationRunner } from '../runtime/destinationRunner'
import type { SubscriptionSpec } from '../runtime/subscriptions'
import type { Settings } from '../destinations/movable-ink/generated-types'
import type { CaptureServer, Captured } from './captureServer'
import type { PreviewRequest, PreviewResult, PreviewSize } from './previewTypes'

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

/** One subscription's side of every event previewed: its runner posts to the capture server. */
export class SubscriptionPreview {
  private readonly runner: DestinationRunner

  constructor(readonly subscription: SubscriptionSpec, settings: Settings, private readonly capture: CaptureServer) {
    this.runner = new DestinationRunner(settings, subscription)
  }

  matches(event: Record<string, unknown>): boolean {
    return this.runner.matches(event)
  }

  /** The result for one event, and what Movable Ink would receive (for its side), if anything. */
  async preview(event: Record<string, unknown>, shown: ShownAddress, now: number) {
    const result: PreviewResult = { subscription: this.subscription.name, errors: [], warnings: [] }
    let mapped: JSONObject | undefined
    try {
      mapped = transform(this.subscription.mapping, event)
      result.mappedPayload = mapped
    } catch (error) {
      result.errors.push(`The mapping could not be applied: ${(error as Error).message}`)
    }
    this.capture.captured.length = 0
    const { outcome } = await this.runner.run(event)
    const captured = this.capture.captured[0]
    if (captured) result.request = requestOf(captured, shown)
    const data = isObject(mapped?.data) ? mapped?.data : undefined
    const bytes = captured ? captured.body.length : data ? Buffer.byteLength(JSON.stringify(data)) : undefined
    if (bytes !== undefined) result.size = sizeOf(bytes)
    const checks = mapped ? checkMapped(mapped, bytes, now) : { errors: [], warnings: [] }
    result.errors.push(...checks.errors)
    result.warnings.push(...checks.warnings)
    // The runtime refusing the payload is what the checks above already said, one problem per entry.
    const alreadySaid =
      outcome.kind === 'failed' && outcome.code === 'PAYLOAD_VALIDATION_FAILED' && checks.errors.length > 0
    if (outcome.kind === 'failed' && !alreadySaid) result.errors.push(outcome.message)
    const received = captured ? parseBody(captured.body) : data
    return { result, received }
  }
}
