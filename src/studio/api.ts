import type { IncomingMessage, ServerResponse } from 'http'
import { readCappedBody, sendJson as sendJsonBody } from '../io/httpBody'
import { describeEvent } from '../events/describeEvent'
import { unsafeIntegerWarning } from '../events/largeIntegers'
import { MAX_PASTE_BYTES } from '../events/pasteParser'
import { htmlReport, markdownReport } from './exportReport'
import { mappingFor } from './newMapping'
import { StudioError } from './workbench'
import type { StudioEvent, Workbench } from './workbench'

/**
 * The studio's JSON API. Every answer is JSON (but the export); every failure is `{ "error": "..." }` with a
 * status that says whose mistake it is, and a message that names the problem and the fix.
 */

/** A JSON body holds at most a paste and the event mappings around it. */
const MAX_BODY_BYTES = MAX_PASTE_BYTES + 1024 * 1024

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendJsonBody(res, status, body, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const { body, bytes } = await readCappedBody(req, MAX_BODY_BYTES + 1)
  if (!body)
    throw new StudioError(
      413,
      `The request is ${bytes} bytes, over ${MAX_BODY_BYTES}; pastes and dropped files may be up to ${MAX_PASTE_BYTES} bytes (5 MB).`
    )
  let value: unknown
  try {
    value = JSON.parse(body.toString('utf8'))
  } catch (error) {
    throw new StudioError(400, `The request body is not JSON: ${(error as Error).message}`)
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new StudioError(400, 'The request body must be a JSON object.')
  return value as Record<string, unknown>
}

export function eventView({ id, item }: StudioEvent) {
  if (item.kind === 'malformed') {
    const refused = item.refused ? { refused: item.refused } : {}
    return { id, source: item.source, line: item.line, malformed: item.reason, ...refused }
  }
  const { source, line, event } = item
  // Integers beyond 2^53 in the text, which the parsed event (`json`) already holds rounded.
  const warnings = (item.unsafeIntegers ?? []).map(unsafeIntegerWarning)
  return { id, source, line, event: describeEvent(event), json: event, newMapping: mappingFor(event), warnings }
}

function text(body: Record<string, unknown>, name: string): string {
  const value = body[name]
  if (typeof value !== 'string') throw new StudioError(400, `"${name}" must be a string.`)
  return value
}

function endpointOf(body: Record<string, unknown>): unknown {
  if (!('endpoint' in body)) throw new StudioError(400, '"endpoint" is missing: send the event mappings to check with.')
  return body.endpoint
}

type Handler = (bench: Workbench, req: IncomingMessage, res: ServerResponse, params: string[]) => Promise<void>

const state: Handler = async (bench, _req, res) =>
  sendJson(res, 200, {
    events: bench.list().map(eventView),
    endpointFile: bench.options.endpointFile,
    endpoint: await bench.readEndpoint(),
    configured: bench.configuredTarget(),
    maxPasteBytes: MAX_PASTE_BYTES
  })

const addEvents: Handler = async (bench, req, res) => {
  const body = await readJson(req)
  const name = typeof body.name === 'string' && body.name ? body.name : undefined
  sendJson(res, 201, { added: bench.addText(text(body, 'text'), name).map(eventView) })
}

const removeEvent: Handler = async (bench, _req, res, [id]) => {
  bench.remove(Number(id))
  sendJson(res, 200, { removed: Number(id) })
}

const check: Handler = async (bench, req, res) => sendJson(res, 200, await bench.check(endpointOf(await readJson(req))))

const saveEndpoint: Handler = async (bench, req, res) => {
  await bench.saveEndpoint(endpointOf(await readJson(req)))
  sendJson(res, 200, { saved: bench.options.endpointFile })
}

const send: Handler = async (bench, req, res) => {
  const body = await readJson(req)
  if (body.confirm !== true)
    throw new StudioError(400, 'Sending needs "confirm": true: the page asks before it sends anything.')
  if (body.target !== 'stand-in' && body.target !== 'configured')
    throw new StudioError(400, '"target" must be "stand-in" or "configured".')
  if (typeof body.id !== 'number') throw new StudioError(400, '"id" must be the number of an event.')
  sendJson(res, 200, await bench.send(body.id, body.target, endpointOf(body), body.restamp === true))
}

const exportCheck: Handler = async (bench, req, res) => {
  const body = await readJson(req)
  const format = body.format ?? 'html'
  if (format !== 'html' && format !== 'md') throw new StudioError(400, '"format" must be "html" or "md".')
  const checked = await bench.check(endpointOf(body))
  const report = (format === 'html' ? htmlReport : markdownReport)(checked, bench.options.endpointFile, new Date())
  res.writeHead(200, {
    'content-type': format === 'html' ? 'text/html; charset=utf-8' : 'text/markdown; charset=utf-8',
    'content-disposition': `attachment; filename="movable-ink-check.${format}"`,
    'cache-control': 'no-store'
  })
  res.end(report)
}

const ROUTES: [string, RegExp, Handler][] = [
  ['GET', /^\/api\/state$/, state],
  ['POST', /^\/api\/events$/, addEvents],
  ['DELETE', /^\/api\/events\/(\d+)$/, removeEvent],
  ['POST', /^\/api\/check$/, check],
  ['PUT', /^\/api\/endpoint$/, saveEndpoint],
  ['POST', /^\/api\/send$/, send],
  ['POST', /^\/api\/export$/, exportCheck]
]

/** Answers an /api/ request; false when no route has its path. */
export function apiHandler(bench: Workbench) {
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const byPath = ROUTES.filter(([, pattern]) => pattern.test(path))
    if (byPath.length === 0) return sendJson(res, 404, { error: `There is no API ${path}.` })
    const route = byPath.find(([method]) => method === req.method)
    if (!route)
      return sendJson(res, 405, {
        error: `${req.method} is not allowed on ${path}: use ${byPath.map((r) => r[0]).join(', ')}.`
      })
    try {
      await route[2](bench, req, res, (route[1].exec(path) ?? []).slice(1))
    } catch (error) {
      if (error instanceof StudioError) return sendJson(res, error.status, { error: error.message, ...error.details })
      sendJson(res, 500, { error: `The studio failed: ${(error as Error).message}` })
    }
  }
}
