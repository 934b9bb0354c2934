import {
  ActionDestinationErrorResponse,
  ErrorCodes,
  MultiStatusResponse,
  getErrorCodeFromHttpStatus
} from '@segment/actions-core'
import type { JSONLikeObject, ModifiedResponse, RequestClient } from '@segment/actions-core'
import type { Settings } from './generated-types'
import { checkMovableInkUrl } from './movableInkUrl'
import { classifyRequestError, classifyResponse, toActionsCoreError, withFailureData } from './movableInkErrors'
import type { MovableInkFailure } from './movableInkErrors'
import { prepareEvent } from './prepareEvent'
import type { EventFields, PreparedEvent } from './prepareEvent'
import { DEFAULT_BATCH_SIZE, MAX_BATCH_REQUEST_BYTES, MAX_BATCH_SIZE } from './limits'

/**
 * The request options for one POST to Movable Ink. The body is the JSON that the checks measured, so it is
 * serialized once; the content type and everything else match what `json:` would have produced. Errors are
 * classified here, not thrown by the client; the answer is read once (`content`/`data`), so the client need
 * not clone it.
 */
export function movableInkRequestOptions(headers: Record<string, string> | undefined, body: string) {
  return {
    method: 'POST' as const,
    headers: { ...headers, 'content-type': 'application/json' },
    body,
    throwHttpErrors: false,
    skipResponseCloning: true
  }
}

type PostResult =
  | { response: ModifiedResponse; failure?: undefined }
  | { response?: undefined; failure: MovableInkFailure }

async function post(
  request: RequestClient,
  url: string,
  headers: Record<string, string> | undefined,
  body: string
): Promise<PostResult> {
  let response: ModifiedResponse
  try {
    response = await request(url, movableInkRequestOptions(headers, body))
  } catch (error) {
    const failure = classifyRequestError(error)
    if (failure) return { failure }
    // Not a failure we know, but it happened while the request was out: whether it arrived is unknown.
    throw withFailureData(error, { reached: 'unknown' })
  }
  if (response.ok) return { response }
  return { failure: classifyResponse(response.status, response.content, response.headers) }
}

/** The checked endpoint URL, as the customer entered it. */
function endpoint(settings: Settings): string {
  checkMovableInkUrl(settings.movable_ink_url)
  return settings.movable_ink_url.trim()
}

/** One event, one request: what `perform` does. Throws the actions-core error that fits any failure. */
export async function sendEvent(
  request: RequestClient,
  settings: Settings,
  fields: EventFields
): Promise<ModifiedResponse> {
  const url = endpoint(settings)
  const prepared = prepareEvent(fields)
  const result = await post(request, url, prepared.headers, prepared.body)
  if (result.failure) throw toActionsCoreError(result.failure)
  return result.response
}

interface BatchFields extends EventFields {
  batch_size?: number
}

interface Chunk {
  headers?: Record<string, string>
  indices: number[]
  bodies: string[]
  bytes: number
}

/** `{"events":[` and `]}`: what a batch adds around its events, counted against the 1 MB limit. */
const ENVELOPE_BYTES = Buffer.byteLength('{"events":[]}')

/**
 * The request body for a chunk: one event alone goes as the bare object, exactly what a single event sends;
 * two or more go in Movable Ink's batch envelope, `{"events":[...]}`.
 */
export function chunkBody(chunk: Pick<Chunk, 'bodies'>): string {
  return chunk.bodies.length === 1 ? chunk.bodies[0] : `{"events":[${chunk.bodies.join(',')}]}`
}

function batchLimit(batchSize: number): number {
  return Math.max(1, Math.min(MAX_BATCH_SIZE, Math.floor(batchSize) || DEFAULT_BATCH_SIZE))
}

/**
 * Groups prepared events into requests: events with the same headers share a request, which holds at most
 * `batchSize` (and never more than 1,000) events and stays under the 1 MB batch limit (limits.ts), envelope and
 * commas counted. An event too large to share a batch goes alone, under the single-event rules (2 MB).
 */
export function planChunks(events: { index: number; prepared: PreparedEvent }[], batchSize: number): Chunk[] {
  const limit = batchLimit(batchSize)
  const open = new Map<string, Chunk>()
  const chunks: Chunk[] = []
  const fits = (chunk: Chunk, bytes: number) =>
    chunk.bodies.length < limit && chunk.bytes + 1 + bytes < MAX_BATCH_REQUEST_BYTES
  for (const { index, prepared } of events) {
    const alone = ENVELOPE_BYTES + prepared.bytes >= MAX_BATCH_REQUEST_BYTES
    const key = JSON.stringify(prepared.headers ?? null)
    let chunk = alone ? undefined : open.get(key)
    if (!chunk || !fits(chunk, prepared.bytes)) {
      chunk = { headers: prepared.headers, indices: [], bodies: [], bytes: ENVELOPE_BYTES }
      if (!alone) open.set(key, chunk)
      chunks.push(chunk)
    }
    chunk.bytes += prepared.bytes + (chunk.bodies.length > 0 ? 1 : 0)
    chunk.indices.push(index)
    chunk.bodies.push(prepared.body)
  }
  return chunks
}

/**
 * What Movable Ink answered, kept on a per-event error so the platform shows it beside the event; for a request
 * that got no answer, whether it was sent at all (`reached`) and its connection error instead.
 */
function answerOf(failure: MovableInkFailure): JSONLikeObject | undefined {
  if (failure.reached !== 'answered') {
    const code = failure.connectionCode ? { connection_code: failure.connectionCode } : {}
    return { reached: failure.reached, ...code }
  }
  if (!failure.body && !failure.requestId) return undefined
  return {
    ...(failure.body ? { message: failure.body } : {}),
    ...(failure.requestId ? { request_id: failure.requestId } : {})
  }
}

function errorResponse(failure: MovableInkFailure, sent?: JSONLikeObject) {
  const body = answerOf(failure)
  return new ActionDestinationErrorResponse({
    status: failure.status,
    errortype: failure.code,
    errormessage: failure.message,
    ...(sent ? { sent } : {}),
    ...(body ? { body } : {})
  })
}

/** The failure a thrown actions-core error stands for, for the event it was thrown for. */
function failureOf(error: unknown): MovableInkFailure {
  const err = error as { status?: number; code?: string; message?: string }
  const status = typeof err.status === 'number' ? err.status : 400
  const code =
    err.code && err.code in ErrorCodes ? (err.code as keyof typeof ErrorCodes) : getErrorCodeFromHttpStatus(status)
  return { status, code, message: err.message ?? String(error), retryable: false, reached: 'not-sent' }
}

/**
 * Many events, as few requests as the limits allow: what `performBatch` does. Each event's outcome is
 * reported at its own index; an event that fails the checks is reported without being sent, and a failed
 * request marks exactly the events it carried.
 */
export async function sendBatch(
  request: RequestClient,
  settings: Settings,
  payloads: BatchFields[]
): Promise<MultiStatusResponse> {
  const results = new MultiStatusResponse()
  let url: string
  try {
    url = endpoint(settings)
  } catch (error) {
    const failure = failureOf(error)
    payloads.forEach((_, i) => results.setErrorResponseAtIndex(i, errorResponse(failure)))
    return results
  }

  const ready: { index: number; prepared: PreparedEvent }[] = []
  payloads.forEach((fields, index) => {
    try {
      ready.push({ index, prepared: prepareEvent(fields) })
    } catch (error) {
      results.setErrorResponseAtIndex(index, errorResponse(failureOf(error)))
    }
  })

  const chunks = planChunks(ready, payloads[0]?.batch_size ?? DEFAULT_BATCH_SIZE)
  await Promise.all(
    chunks.map(async (chunk) => {
      const outcome = await post(request, url, chunk.headers, chunkBody(chunk))
      chunk.indices.forEach((index) => {
        const sent = payloads[index].data as JSONLikeObject
        if (outcome.failure) {
          results.setErrorResponseAtIndex(index, errorResponse(outcome.failure, sent))
        } else {
          results.setSuccessResponseAtIndex(index, {
            status: outcome.response.status,
            sent,
            body: (outcome.response.data as JSONLikeObject | string | undefined) ?? outcome.response.content
          })
        }
      })
    })
  )
  return results
}
