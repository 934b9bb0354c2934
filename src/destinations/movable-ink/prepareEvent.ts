import { PayloadValidationError } from '@segment/actions-core'
import { checkEventRequirements } from './checkEventRequirements'
import { checkHeaders } from './checkHeaders'
import { MAX_REQUEST_BYTES } from './limits'

/** The action's mapped fields that shape a request (batching fields aside). */
export interface EventFields {
  headers?: Record<string, unknown>
  data?: Record<string, unknown>
}

/** One event, checked and serialized once, ready to go out alone or inside a batch. */
export interface PreparedEvent {
  headers?: Record<string, string>
  /** `data` as JSON: exactly the bytes that go on the wire. */
  body: string
  bytes: number
}

export function formatBytes(bytes: number): string {
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(2)} MB` : `${(bytes / 1000).toFixed(1)} kB`
}

/** Throws when a body of `bytes` would reach Movable Ink's 2 MB limit. */
export function checkRequestSize(bytes: number, what = 'The event'): void {
  if (bytes >= MAX_REQUEST_BYTES) {
    throw new PayloadValidationError(
      `${what} is ${formatBytes(
        bytes
      )} (${bytes} bytes) once serialized, and Movable Ink refuses requests of 2 MB (${MAX_REQUEST_BYTES} bytes) or more: leave large properties out of the Data field mapping, or filter them out before they reach this destination.`
    )
  }
}

/**
 * Everything Movable Ink requires of an event, checked before anything is sent: the Data field, its
 * timestamp and identity, the Headers field, and the size of the request body. `overheadBytes` is what the
 * event's request adds around its body (the brackets of a batch).
 */
export function prepareEvent(fields: EventFields, overheadBytes = 0): PreparedEvent {
  const { data } = fields
  if (data === undefined || data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new PayloadValidationError(
      'The Data field is empty: map it to the whole event ({"@path": "$."}, the default) or to an object that holds the event.'
    )
  }
  checkEventRequirements(data)
  const headers = checkHeaders(fields.headers)
  const body = JSON.stringify(data)
  const bytes = Buffer.byteLength(body)
  checkRequestSize(bytes + overheadBytes)
  return { headers, body, bytes }
}
