import {
  ErrorCodes,
  IntegrationError,
  InvalidAuthenticationError,
  RetryableError,
  getErrorCodeFromHttpStatus
} from '@segment/actions-core'

/**
 * Every answer from Movable Ink, and every way a request can fail, is mapped here, once, to what Segment's
 * platform should do with it. Segment retries RetryableError and 408/423/429/5xx (but 501); everything else is
 * final, so only failures that a later attempt can fix are classed as retryable.
 */
/**
 * Whether a request reached Movable Ink: `answered` (an HTTP answer came), `not-sent` (it never left: the
 * connection was refused, the name does not exist, the event failed the checks), or `unknown` (it went out and
 * no answer came: a timeout, a connection dropped mid-request). Movable Ink does not deduplicate, so a retry
 * after an `unknown` attempt may store the event twice.
 */
export type Reached = 'answered' | 'not-sent' | 'unknown'

export interface MovableInkFailure {
  status: number
  /** One of actions-core's ErrorCodes, as multi-status responses require. */
  code: keyof typeof ErrorCodes
  message: string
  retryable: boolean
  /** From Movable Ink's Retry-After header, when it sent one. */
  retryAfterMs?: number
  /** Movable Ink's answer, shortened. */
  body?: string
  /** Movable Ink's id for the request (`request_id` in its answer, or the `x-request-id` header). */
  requestId?: string
  reached: Reached
  /** The system error code of a request that got no answer (`ECONNRESET`, `ECONNREFUSED`, ...). */
  connectionCode?: string
}

/** The headers of an answer, as node-fetch and the WHATWG Headers give them. */
export interface AnswerHeaders {
  get(name: string): string | null
}

type RetryableStatus = NonNullable<ConstructorParameters<typeof RetryableError>[1]>

/** A RetryableError that remembers how long Movable Ink asked us to wait (actions-core has no field for it). */
export class MovableInkRetryableError extends RetryableError {
  retryAfterMs?: number
  constructor(message: string, status: number, retryAfterMs?: number) {
    super(message, status as RetryableStatus)
    this.retryAfterMs = retryAfterMs
  }
}

const MAX_QUOTED_BODY = 300

/** The answer as a JSON object, when it is one (bodies come as text, or already parsed). */
export function answerObject(body: unknown): Record<string, unknown> | undefined {
  let parsed = body
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body)
    } catch {
      return undefined
    }
  }
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined
}

/** Movable Ink's own words from an error body: a JSON `message`/`error`/`errors`, or the text itself. */
export function movableInkMessage(body: unknown, answer = answerObject(body)): string {
  let text = typeof body === 'string' ? body : body === undefined || body === null ? '' : JSON.stringify(body)
  const said = answer && (answer.message ?? answer.error ?? answer.errors ?? answer.detail)
  if (said !== undefined) text = typeof said === 'string' ? said : JSON.stringify(said)
  return excerpt(text)
}

/** A short, single-line, printable excerpt of what Movable Ink said: no control characters, bounded length. */
function excerpt(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim()
  return flat.length > MAX_QUOTED_BODY ? flat.slice(0, MAX_QUOTED_BODY) + '…' : flat
}

/** Movable Ink's id for the request: `request_id` in a JSON answer, else the `x-request-id` header. */
export function movableInkRequestId(
  answer: Record<string, unknown> | undefined,
  headers?: AnswerHeaders | null
): string | undefined {
  const fromBody = answer?.request_id
  const id = typeof fromBody === 'string' && fromBody ? fromBody : headers?.get('x-request-id') ?? undefined
  return id ? excerpt(id).slice(0, 100) : undefined
}

/** The 404 Movable Ink gives for a URL whose endpoint key it does not know. */
const UNKNOWN_KEY = /endpoint key not found/i

/** What Movable Ink said and its request id, worded for the admin to hand to Movable Ink. */
function whatMovableInkSaid(said: string, requestId: string | undefined): string {
  const quoted = said ? ` Movable Ink said: "${said}"` : ''
  if (!requestId) return quoted ? `${quoted}.` : ''
  return `${
    quoted || ' Movable Ink'
  } (request id ${requestId}: give it to your Movable Ink Client Experience team if this persists).`
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 423 || status === 429 || (status >= 500 && status !== 501)
}

/** The admin's explanation of an HTTP status other than 2xx, before what Movable Ink said is added. */
function explanation(status: number, said: string, retryAfterMs: number | undefined): string {
  if (status === 401 || status === 403)
    return `Movable Ink refused the credentials (HTTP ${status}): check the Username (your Movable Ink Access Key ID) and Access Secret settings.`
  if (status === 404 && UNKNOWN_KEY.test(said))
    return 'Movable Ink does not know the endpoint key in the Movable Ink URL (HTTP 404): the part after /behavioral/ is wrong. Copy the URL, key included, from the Customer Data Endpoint Movable Ink set up for you.'
  if (status === 404)
    return 'Movable Ink has no endpoint at the configured address (HTTP 404): check the Movable Ink URL setting against the endpoint URL Movable Ink gave you.'
  if (status === 413)
    return 'Movable Ink refused the request as too large (HTTP 413): requests must be under 2 MB, and this destination keeps batches under 1 MB. Send fewer properties in the Data field, or a smaller Batch Size.'
  if (status === 429) {
    const wait =
      retryAfterMs === undefined ? '' : ` It asked to wait ${Math.ceil(retryAfterMs / 1000)} s (Retry-After).`
    return `Movable Ink is receiving too many requests (HTTP 429) and asked us to slow down; a later attempt can succeed.${wait}`
  }
  if (isRetryableStatus(status))
    return `Movable Ink had a temporary problem (HTTP ${status}); a later attempt can succeed.`
  return ''
}

/** What an HTTP answer other than 2xx means, and what the admin should check. */
export function classifyResponse(status: number, body: unknown, headers?: AnswerHeaders | null): MovableInkFailure {
  const answer = answerObject(body)
  const said = movableInkMessage(body, answer)
  const requestId = movableInkRequestId(answer, headers)
  const quoted = whatMovableInkSaid(said, requestId)
  const retryAfterMs = status === 429 ? parseRetryAfter(headers?.get('retry-after')) : undefined
  const failure: MovableInkFailure = {
    status,
    code: status === 401 || status === 403 ? 'INVALID_AUTHENTICATION' : getErrorCodeFromHttpStatus(status),
    retryable: isRetryableStatus(status),
    reached: 'answered',
    body: said || undefined,
    ...(requestId ? { requestId } : {}),
    ...(status === 429 ? { retryAfterMs } : {}),
    message: ''
  }
  const explained = explanation(status, said, retryAfterMs)
  if (explained) failure.message = `${explained}${quoted}`
  else if (status === 400 || status === 422)
    failure.message = `Movable Ink rejected the event (HTTP ${status}).${quoted} If the event is valid, Movable Ink may not have mapped this event yet: share a sample payload with your Movable Ink Client Experience team.`
  else
    failure.message = `Movable Ink answered HTTP ${status}, which is not retried.${quoted} Check the Movable Ink URL setting, or contact your Movable Ink Client Experience team.`
  return failure
}

const TIMEOUT_NAMES = ['TimeoutError', 'RequestTimeoutError', 'RequestClientError', 'AbortError']

/** Connection errors that happen before a request is sent: Movable Ink cannot have stored anything. */
const NEVER_SENT = ['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND']

/** What an error thrown while sending means (no HTTP answer), or undefined for one that is not about sending. */
export function classifyRequestError(error: unknown): MovableInkFailure | undefined {
  const err = error as { name?: string; code?: string; type?: string; message?: string }
  if (err && TIMEOUT_NAMES.includes(err.name ?? '')) {
    return {
      status: 408,
      code: 'REQUEST_TIMEOUT',
      retryable: true,
      reached: 'unknown',
      message: 'Movable Ink did not answer in time (the request timed out); a later attempt can succeed.'
    }
  }
  if (err && (err.name === 'FetchError' || err.type === 'system' || /^E[A-Z_]+$/.test(err.code ?? ''))) {
    const code = err.code ?? 'network error'
    const connection = { connectionCode: code, reached: NEVER_SENT.includes(code) ? 'not-sent' : 'unknown' } as const
    // ENOTFOUND is a name that does not exist (a typo in the URL): retrying cannot fix it. EAI_AGAIN is a
    // resolver that did not answer, which can pass.
    if (code === 'ENOTFOUND') {
      return {
        status: 400,
        code: 'BAD_REQUEST',
        retryable: false,
        ...connection,
        message:
          'Could not reach Movable Ink (ENOTFOUND): the host name of the Movable Ink URL setting does not exist. Check it against the endpoint URL Movable Ink gave you.'
      }
    }
    // A connection that opened and then dropped (ECONNRESET, EPIPE, an answer cut off midway): the request
    // may have arrived, so it is said, and `reached` is unknown.
    const message =
      connection.reached === 'not-sent'
        ? `Could not reach Movable Ink (${code}); a later attempt can succeed.`
        : `The connection to Movable Ink dropped before a complete answer came (${code}): Movable Ink may have stored the event; a later attempt can succeed.`
    return { status: 503, code: 'SERVICE_UNAVAILABLE', retryable: true, ...connection, message }
  }
  return undefined
}

/** What an error built from a failure carries besides its message, for tools that deliver events themselves. */
export interface FailureData {
  reached: Reached
  connectionCode?: string
}

function actionsCoreErrorOf(failure: MovableInkFailure): Error {
  if (failure.code === 'INVALID_AUTHENTICATION') return new InvalidAuthenticationError(failure.message)
  if (failure.retryable) return new MovableInkRetryableError(failure.message, failure.status, failure.retryAfterMs)
  return new IntegrationError(failure.message, failure.code, failure.status)
}

/** The actions-core error that tells Segment's platform what to do with a failure, with its FailureData. */
export function toActionsCoreError(failure: MovableInkFailure): Error {
  const data: FailureData = { reached: failure.reached }
  if (failure.connectionCode) data.connectionCode = failure.connectionCode
  return withFailureData(actionsCoreErrorOf(failure), data)
}

/** The error with its FailureData (any thrown value that is an object; other values are left as they are). */
export function withFailureData<T>(error: T, data: FailureData): T {
  return error !== null && typeof error === 'object' ? Object.assign(error, data) : error
}

/** The FailureData of an error thrown by this destination, when it has it. */
export function failureDataOf(error: unknown): FailureData | undefined {
  const reached = (error as Partial<FailureData> | null)?.reached
  if (reached !== 'answered' && reached !== 'not-sent' && reached !== 'unknown') return undefined
  const connectionCode = (error as FailureData).connectionCode
  return { reached, ...(typeof connectionCode === 'string' ? { connectionCode } : {}) }
}

/**
 * Whether Segment would retry an error that the destination threw: the same rule the platform applies, for
 * tools that deliver events themselves (the `movable-ink` command).
 */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof RetryableError) return true
  const status = (error as { status?: unknown })?.status
  if (typeof status === 'number') return isRetryableStatus(status)
  return classifyRequestError(error)?.retryable ?? false
}

/** How long Movable Ink asked us to wait before retrying, if it said. */
export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof MovableInkRetryableError ? error.retryAfterMs : undefined
}
