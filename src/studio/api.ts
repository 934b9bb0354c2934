import type { IncomingMessage, ServerResponse } from 'http'
import { readCappedBody, sendJson as sendJsonBody } from '../io/httpBody'
import { sizeText } from '../io/sizeText'
import { basename } from 'path'
import { describeEvent } from '../events/describeEvent'
import { textOfDroppedFile } from '../events/droppedFile'
import { InputError } from '../events/inputFiles'
import { MAX_PASTE_BYTES } from '../events/pasteParser'
import { compactCheck } from './checkView'
import { eventPaths } from './eventPaths'
import { htmlReport, markdownReport } from './exportReport'
import { decisionFor, mappingFor } from './newMapping'
import { schemaFieldsFor } from './schemaFields'
import { SCHEMA_NAMES } from './studioNotes'
import { PASTED_SUITE_FILE, StudioError } from './workbench'
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
      `The request is ${sizeText(bytes)}, over the studio's limit of ${sizeText(MAX_BODY_BYTES)} a request: ` +
        `pastes and dropped files may be up to ${sizeText(MAX_PASTE_BYTES)}. ` +
        'Check bigger files with: movable-ink preview FILE, or start the studio with them (movable-ink studio FILE).'
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

/**
 * An event as the list shows it, however it was loaded: its label (`track "Order Completed"`), and where it
 * came from as a file name and line (`06-order-completed.json:1`, `paste 2:3`), never a folder path.
 */
export function eventView({ id, item, spot }: StudioEvent) {
  const where = `${basename(item.source)}:${item.line}`
  // Events of a sample file: it names the file; pasted ones have none until they are saved into one.
  const sample = spot ? { sample: spot.samplePath } : {}
  if (item.kind === 'malformed') {
    const refused = item.refused ? { refused: item.refused } : {}
    return { id, where, label: item.refused ? 'refused' : 'malformed', malformed: item.reason, ...refused, ...sample }
  }
  return { id, where, label: describeEvent(item.event), ...sample }
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
    endpointFile: basename(bench.endpointPlace.readFrom),
    saveFile: bench.saveFile,
    ...bench.readEndpoint(),
    configured: bench.configuredTarget(),
    schemas: SCHEMA_NAMES,
    maxPasteBytes: MAX_PASTE_BYTES,
    // The suite file for pasted events as the page offers it: relative to the working folder, which it names.
    suite: {
      pastedFile: PASTED_SUITE_FILE,
      workDir: bench.workDir,
      ...(bench.suite.off ? { off: bench.suite.off } : {})
    }
  })

/** The jq paths of the events' JSON as Movable Ink would receive it, with a sample value each. */
const paths: Handler = async (bench, _req, res) =>
  sendJson(res, 200, {
    paths: eventPaths(
      bench.list().flatMap((e) => (e.item.kind === 'event' ? [e.side?.received.find((r) => r) ?? e.item.event] : []))
    )
  })

const clearEvents: Handler = async (bench, _req, res) => sendJson(res, 200, { removed: bench.clear() })

/** A paste's text, or a dropped file's: sent as base64 when the page saw it is not plain UTF-8 text (gzip, UTF-16). */
function pastedText(body: Record<string, unknown>, name: string | undefined): string {
  if (typeof body.base64 !== 'string') return text(body, 'text')
  try {
    return textOfDroppedFile(Buffer.from(body.base64, 'base64'), name ?? 'the dropped file', MAX_PASTE_BYTES)
  } catch (error) {
    if (error instanceof InputError) throw new StudioError(400, error.message)
    throw error
  }
}

const addEvents: Handler = async (bench, req, res) => {
  const body = await readJson(req)
  const name = typeof body.name === 'string' && body.name ? body.name : undefined
  sendJson(res, 201, { added: bench.addText(pastedText(body, name), name).map(eventView) })
}

const removeEvent: Handler = async (bench, _req, res, [id]) => {
  bench.remove(Number(id))
  sendJson(res, 200, { removed: Number(id) })
}

const check: Handler = async (bench, req, res) => sendJson(res, 200, await bench.check(endpointOf(await readJson(req))))

/** What the page redraws after an edit: every event's verdict, compactly. */
const verdicts: Handler = async (bench, req, res) =>
  sendJson(res, 200, compactCheck(await bench.check(endpointOf(await readJson(req)))))

/**
 * One event's whole check with these mappings, a first mapping for it (not for an event the destination
 * refuses: no mapping can help it), and, while it is unmapped, the decision that it is not for Movable Ink.
 */
const detail: Handler = async (bench, req, res) => {
  const body = await readJson(req)
  if (typeof body.id !== 'number') throw new StudioError(400, '"id" must be the number of an event.')
  const found = await bench.detail(endpointOf(body), body.id)
  const { status } = found.verdict
  const helped = found.event && status !== 'refused' ? found.event : undefined
  sendJson(res, 200, {
    ...found,
    newMapping: helped ? mappingFor(helped) : undefined,
    newDecision: helped && status === 'unmapped' ? decisionFor(helped) : undefined,
    schemaFields: schemaFieldsFor(found.received ?? found.event)
  })
}

const saveEndpoint: Handler = async (bench, req, res) => {
  const body = await readJson(req)
  if (body.path !== undefined && (typeof body.path !== 'string' || !body.path.trim()))
    throw new StudioError(400, '"path" must be the name of a .json file to write.')
  if (body.version !== undefined && body.version !== null && typeof body.version !== 'string')
    throw new StudioError(400, '"version" must be the version GET /api/state gave (a string, or null for no file).')
  const version = body.version as string | null | undefined
  const request = { spec: endpointOf(body), path: body.path?.trim(), version, overwrite: body.overwrite === true }
  sendJson(res, 200, await bench.saveEndpoint(request))
}

/** "Save as expected": one event (`id`) or all (`all: true`); `path`, the suite file for pasted events. */
const saveExpected: Handler = async (bench, req, res) => {
  const body = await readJson(req)
  const hasId = body.id !== undefined
  if (hasId === (body.all === true))
    throw new StudioError(400, 'Say which events to save as expected: "id" (one event) or "all": true, not both.')
  if (hasId && typeof body.id !== 'number') throw new StudioError(400, '"id" must be the number of an event.')
  if (body.path !== undefined && typeof body.path !== 'string')
    throw new StudioError(400, '"path" must be the name of a .jsonl file, the suite file for pasted events.')
  const which = hasId ? { id: body.id as number } : { all: true as const }
  const answer = await bench.saveExpected(endpointOf(body), which, body.path as string | undefined)
  const ids = new Set(answer.moved.map((m) => m.id))
  const moved = bench
    .list()
    .filter((e) => ids.has(e.id))
    .map(eventView)
  sendJson(res, 200, { lines: answer.lines, summary: answer.summary, written: answer.written, moved })
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
  const endpoint = body.endpoint as Parameters<typeof htmlReport>[1]
  const made = format === 'html' ? htmlReport : markdownReport
  const report = made(checked, endpoint, new Date(), bench.options.endpointFile)
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
  ['DELETE', /^\/api\/events$/, clearEvents],
  ['DELETE', /^\/api\/events\/(\d+)$/, removeEvent],
  ['GET', /^\/api\/paths$/, paths],
  ['POST', /^\/api\/check$/, check],
  ['POST', /^\/api\/verdicts$/, verdicts],
  ['POST', /^\/api\/detail$/, detail],
  ['PUT', /^\/api\/endpoint$/, saveEndpoint],
  ['POST', /^\/api\/expected$/, saveExpected],
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
