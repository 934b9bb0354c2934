/**
 * The studio's cost with many events loaded, against its server in this process: a whole re-check after an edit
 * (POST /api/check, every event's item, after the first check has kept each event's Segment side), what the page
 * waits for after an edit (POST /api/verdicts with the selected event's id: the verdicts and its detail in one
 * answer) and after choosing an event (POST /api/detail alone), in milliseconds and bytes. `npm run bench:studio [-- --events N --edits N]`
 * on its own; `npm run bench` runs it too.
 */
import { request } from 'http'
import path from 'path'
import { performance } from 'perf_hooks'
import { readdirSync, readFileSync } from 'fs'
import { DEFAULT_ENDPOINT_FILE, keepSpareJqWorker } from '../../src/endpointModel'
import type { EndpointSpec } from '../../src/endpointModel'
import { EXAMPLES_DIR } from '../../src/io/projectFiles'
import { presetSubscriptions } from '../../src/runtime/subscriptions'
import { startStudio } from '../../src/studio/server'
import type { Studio } from '../../src/studio/server'
import { median, percentile, round } from './stats'

export interface StudioCost {
  events: number
  edits: number
  /** The first check: every event's Segment side, then Movable Ink's. */
  firstCheckMs: number
  /**
   * POST /api/check of every event after an edit of a match criterion (median): every event's Movable Ink side
   * evaluated again, the "re-check of 1,000 events".
   */
  recheckMs: number
  recheckBytes: number
  /** The same after an edit of a field's path, which only the events of that mapping are evaluated again for. */
  partialRecheckMs: number
  /** An edit of a field's path, then of a match criterion, until the page has its answer (median and p90). */
  pathEditMs: number
  pathEditP90Ms: number
  matchEditMs: number
  matchEditP90Ms: number
  /** What one edit's answer weighs (verdicts and the selected event's detail), median. */
  editBytes: number
  /** Choosing an event: its detail (median and p90). */
  selectMs: number
  selectP90Ms: number
}

/** N distinct events: the bundled examples in turn, each with its own ids and a recent time. */
function events(n: number): Record<string, unknown>[] {
  const dir = path.join(EXAMPLES_DIR, 'events')
  const examples = readdirSync(dir)
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>)
  const now = Date.now()
  return Array.from({ length: n }, (_, i) => {
    const event = JSON.parse(JSON.stringify(examples[i % examples.length])) as Record<string, unknown>
    return { ...event, messageId: `bench-${i}`, userId: `user-${i}`, timestamp: new Date(now - i * 1000).toISOString() }
  })
}

interface Answer {
  ms: number
  bytes: number
  json: { rows?: { id: number }[] }
}

function call(studio: Studio, method: string, route: string, body: unknown): Promise<Answer> {
  const payload = JSON.stringify(body)
  const headers = {
    host: `127.0.0.1:${studio.port}`,
    'x-studio-token': studio.token,
    'content-type': 'application/json'
  }
  const started = performance.now()
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port: studio.port, method, path: route, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks)
        if ((res.statusCode ?? 0) >= 300) return fail(new Error(`${route}: HTTP ${res.statusCode} ${text.toString()}`))
        done({
          ms: performance.now() - started,
          bytes: text.length,
          json: JSON.parse(text.toString()) as Answer['json']
        })
      })
    })
    req.on('error', fail)
    req.end(payload)
  })
}

type Change = (spec: EndpointSpec, i: number) => void

const pathEdit: Change = (spec, i) => (spec.mappings[6].fields[3].path = `.context.timezone // "${i}"`)
const matchEdit: Change = (spec, i) =>
  (spec.mappings[6].match = `.type == "track" and .event == "Order Completed" and ${i} == ${i}`)

function edited(spec: EndpointSpec, change: Change, i: number): EndpointSpec {
  const copy = JSON.parse(JSON.stringify(spec)) as EndpointSpec
  change(copy, i)
  return copy
}

/** `edits` edits, each answered as the page asks: the verdicts and the selected event's detail, in one call. */
async function timeEdits(studio: Studio, spec: EndpointSpec, ids: number[], edits: number, change: Change) {
  const ms: number[] = []
  const bytes: number[] = []
  for (let i = 0; i < edits; i++) {
    const endpoint = edited(spec, change, i)
    const answer = await call(studio, 'POST', '/api/verdicts', { endpoint, id: ids[i % ids.length] })
    ms.push(answer.ms)
    bytes.push(answer.bytes)
  }
  return { ms, bytes }
}

async function timeRechecks(studio: Studio, spec: EndpointSpec, edits: number, change: Change) {
  const checks: Answer[] = []
  for (let i = 0; i < edits; i++)
    checks.push(await call(studio, 'POST', '/api/check', { endpoint: edited(spec, change, 1000 + i) }))
  return { ms: median(checks.map((c) => c.ms)), bytes: median(checks.map((c) => c.bytes)) }
}

async function timeSelections(studio: Studio, spec: EndpointSpec, ids: number[]): Promise<number[]> {
  const ms: number[] = []
  for (let i = 0; i < 50; i++)
    ms.push((await call(studio, 'POST', '/api/detail', { endpoint: spec, id: ids[(i * 37) % ids.length] })).ms)
  return ms
}

export async function measureStudio(count = 1000, edits = 20): Promise<StudioCost> {
  const spec = JSON.parse(readFileSync(DEFAULT_ENDPOINT_FILE, 'utf8')) as EndpointSpec
  const subscriptions = presetSubscriptions()
  const options = { files: [], endpointFile: DEFAULT_ENDPOINT_FILE, saveFile: '/dev/null', subscriptions, settings: {} }
  // As `movable-ink studio` does: a jq worker started ahead for each edit's new program.
  keepSpareJqWorker(true)
  const studio = await startStudio(options)
  try {
    const text = events(count)
      .map((e) => JSON.stringify(e))
      .join('\n')
    await call(studio, 'POST', '/api/events', { text })
    const first = await call(studio, 'POST', '/api/verdicts', { endpoint: spec })
    const ids = (first.json.rows ?? []).map((r) => r.id)
    const rechecks = Math.max(3, Math.round(edits / 4))
    const recheck = await timeRechecks(studio, spec, rechecks, matchEdit)
    const partial = await timeRechecks(studio, spec, rechecks, pathEdit)
    const paths = await timeEdits(studio, spec, ids, edits, pathEdit)
    const matches = await timeEdits(studio, spec, ids, edits, matchEdit)
    const select = await timeSelections(studio, spec, ids)
    return {
      events: count,
      edits,
      firstCheckMs: round(first.ms, 0),
      recheckMs: round(recheck.ms, 0),
      recheckBytes: recheck.bytes,
      partialRecheckMs: round(partial.ms, 0),
      pathEditMs: round(median(paths.ms), 0),
      pathEditP90Ms: round(percentile(paths.ms, 90), 0),
      matchEditMs: round(median(matches.ms), 0),
      matchEditP90Ms: round(percentile(matches.ms, 90), 0),
      editBytes: median([...paths.bytes, ...matches.bytes]),
      selectMs: round(median(select), 1),
      selectP90Ms: round(percentile(select, 90), 1)
    }
  } finally {
    await studio.close()
  }
}

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? Number(process.argv[at + 1]) : fallback
}

if (require.main === module) {
  measureStudio(flag('events', 1000), flag('edits', 20)).then(
    (cost) => {
      console.log(JSON.stringify(cost, null, 2))
      process.exit(0)
    },
    (error: Error) => {
      console.error(error.stack ?? error.message)
      process.exit(1)
    }
  )
}
