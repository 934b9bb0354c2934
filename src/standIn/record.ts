import { createHash } from 'crypto'
import type { IncomingMessage } from 'http'
import type { EventEvaluation } from '../endpointModel'
import { runStamp } from '../io/fileStamp'
import { LineAppender } from '../io/lineAppender'
import { checkOutputFile, writeFailure } from '../io/outputFile'
import { REDACTED_AUTHORIZATION } from '../runtime/redactor'
import type { EventVerdict } from './checks'

/**
 * The stand-in's record: one JSON Lines entry per accepted request (its headers, credentials redacted, its
 * body and what each of its events became), durable on disk before the request is answered 200.
 */

/** Where the stand-in records by default: a new file per run under .movable-ink/ in the working directory. */
export function defaultRecordFile(now = new Date()): string {
  return `.movable-ink/received-${runStamp(now)}.jsonl`
}

/** What the record keeps of each event besides the body: its mapping and extracted fields, or why it was dropped. */
export interface StoredEvent {
  messageId: string | null
  fate: EventVerdict['fate']
  reason?: string
  mapping?: string | null
  fields?: Record<string, unknown>
  problems?: string[]
}

export function storedEvent(
  event: unknown,
  evaluation: EventEvaluation | undefined,
  verdict: EventVerdict
): StoredEvent {
  const messageId = (event as { messageId?: unknown } | null)?.messageId
  return {
    messageId: typeof messageId === 'string' ? messageId : null,
    fate: verdict.fate,
    ...(verdict.reason ? { reason: verdict.reason } : {}),
    ...(evaluation
      ? {
          mapping: evaluation.mapping?.name ?? null,
          fields: Object.fromEntries(evaluation.fields.map((f) => [f.name, f.value ?? null])),
          problems: evaluation.problems.map((p) => p.message)
        }
      : {})
  }
}

function redactedHeaders(req: IncomingMessage): Record<string, string | string[] | undefined> {
  const headers: Record<string, string | string[] | undefined> = { ...req.headers }
  if (headers.authorization !== undefined) headers.authorization = REDACTED_AUTHORIZATION
  if (headers['proxy-authorization'] !== undefined) headers['proxy-authorization'] = '[redacted]'
  return headers
}

export interface AcceptedRequest {
  req: IncomingMessage
  requestId: string
  started: number
  bytes: number
  body: Buffer
  parsed: unknown
  kept: StoredEvent[]
}

const RECORD = "The stand-in's record (--record)"

/** Throws an OutputFileError when the record file cannot be written (its folders are created if missing). */
export function checkRecordFile(file: string): void {
  checkOutputFile(file, RECORD, { createFolder: true })
}

/** The record file, appended to durably; `false` keeps nothing. */
export class StandInRecord {
  private constructor(readonly file: string | false, private readonly appender?: LineAppender) {}

  /** Opens the record; an OutputFileError when it cannot be written. */
  static open(file: string | false): StandInRecord {
    if (!file) return new StandInRecord(file)
    checkRecordFile(file)
    try {
      return new StandInRecord(file, LineAppender.open(file, { durable: true, createFolder: true }))
    } catch (error) {
      throw writeFailure(file, RECORD, error)
    }
  }

  async add(request: AcceptedRequest): Promise<void> {
    if (!this.appender) return
    const { req, requestId, started, bytes, body, parsed, kept } = request
    const line = {
      receivedAt: new Date(started).toISOString(),
      requestId,
      method: req.method,
      url: req.url,
      headers: redactedHeaders(req),
      bytes,
      bodySha256: createHash('sha256').update(body).digest('hex'),
      body: parsed,
      movableInk: kept
    }
    await this.appender.append(JSON.stringify(line) + '\n')
  }

  close(): Promise<void> {
    return this.appender?.close() ?? Promise.resolve()
  }
}
