/**
 * The studio's cost per edit and per selection with many events loaded: what the page waits for after an edit
 * (POST /api/verdicts, then the selected event's POST /api/detail) and after choosing an event (POST
 * /api/detail alone), in milliseconds and bytes, against the compiled studio (dist/). Separate from the
 * delivery benchmark (main.ts): `npm run bench:studio [-- --events N --edits N]`.
 */
import { request } from 'http'
import path from 'path'
import { performance } from 'perf_hooks'
import { existsSync, readdirSync, readFileSync } from 'fs'

/** The project's folder: the nearest one above this module with a package.json (bench/out/ nests folders). */
function projectRoot(from: string): string {
  return existsSync(path.join(from, 'package.json')) ? from : projectRoot(path.dirname(from))
}
const ROOT = projectRoot(path.resolve(__dirname, '..'))

interface Studio {
  port: number
  token: string
  close(): Promise<void>
}

/* eslint-disable @typescript-eslint/no-var-requires */
const { startStudio } = require(path.join(ROOT, 'dist/studio/server')) as {
  startStudio(options: unknown): Promise<Studio>
}
const { presetSubscriptions } = require(path.join(ROOT, 'dist/runtime/subscriptions')) as {
  presetSubscriptions(): unknown[]
}
/* eslint-enable @typescript-eslint/no-var-requires */

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? Number(process.argv[at + 1]) : fallback
}

/** N distinct events: the bundled examples in turn, each with its own ids and a recent time. */
function events(n: number): Record<string, unknown>[] {
  const dir = path.join(ROOT, 'examples', 'events')
  const examples = readdirSync(dir)
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>)
  const now = Date.now()
  return Array.from({ length: n }, (_, i) => {
    const event = JSON.parse(JSON.stringify(examples[i % examples.length])) as Record<string, unknown>
    const at = new Date(now - i * 1000).toISOString()
    return { ...event, messageId: `bench-${i}`, userId: `user-${i}`, timestamp: at }
  })
}

function call(
  studio: Studio,
  method: string,
  route: string,
  body: unknown
): Promise<{ ms: number; bytes: number; json: any }> {
  const payload = JSON.stringify(body)
  const started = performance.now()
  return new Promise((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: studio.port,
        method,
        path: route,
        headers: {
          host: `127.0.0.1:${studio.port}`,
          'x-studio-token': studio.token,
          'content-type': 'application/json'
        }
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks)
          if ((res.statusCode ?? 0) >= 300)
            return fail(new Error(`${route}: HTTP ${res.statusCode} ${text.toString()}`))
          done({ ms: performance.now() - started, bytes: text.length, json: JSON.parse(text.toString()) })
        })
      }
    )
    req.on('error', fail)
    req.end(payload)
  })
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))]
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms, p90 ${p90(xs).toFixed(0)} ms`

async function main(): Promise<void> {
  const count = flag('events', 1000)
  const edits = flag('edits', 20)
  const endpointFile = path.join(ROOT, 'examples', 'movable-ink-endpoint.json')
  const endpoint = JSON.parse(readFileSync(endpointFile, 'utf8'))
  const studio = await startStudio({
    files: [],
    endpointFile,
    saveFile: '/dev/null',
    subscriptions: presetSubscriptions(),
    settings: {}
  })
  try {
    await call(studio, 'POST', '/api/events', {
      text: events(count)
        .map((e) => JSON.stringify(e))
        .join('\n')
    })
    const first = await call(studio, 'POST', '/api/verdicts', { endpoint })
    const ids: number[] = first.json.rows.map((r: { id: number }) => r.id)
    const whole = await call(studio, 'POST', '/api/check', { endpoint })

    // An edit of a field's path (the common one), then of a match criterion (which also asks what it gives).
    const perEdit = async (change: (spec: any, i: number) => void) => {
      const ms: number[] = []
      const bytes: number[] = []
      for (let i = 0; i < edits; i++) {
        const spec = JSON.parse(JSON.stringify(endpoint))
        change(spec, i)
        const verdicts = await call(studio, 'POST', '/api/verdicts', { endpoint: spec })
        const detail = await call(studio, 'POST', '/api/detail', { endpoint: spec, id: ids[i % ids.length] })
        ms.push(verdicts.ms + detail.ms)
        bytes.push(verdicts.bytes + detail.bytes)
      }
      return { ms, bytes }
    }
    const pathEdits = await perEdit((spec, i) => (spec.mappings[6].fields[3].path = `.context.timezone // "${i}"`))
    const matchEdits = await perEdit(
      (spec, i) => (spec.mappings[6].match = `.type == "track" and .event == "Order Completed" and ${i} == ${i}`)
    )
    const select: number[] = []
    for (let i = 0; i < 50; i++)
      select.push((await call(studio, 'POST', '/api/detail', { endpoint, id: ids[(i * 37) % ids.length] })).ms)

    const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`
    console.log(`The studio with ${count} events (distinct: ids and times differ), ${edits} edits each:`)
    console.log(`  first check (every event's Segment side, then Movable Ink's): ${first.ms.toFixed(0)} ms`)
    console.log(
      `  an edit of a field's path, answer shown: ${fmt(pathEdits.ms)}; ${kb(median(pathEdits.bytes))} per edit`
    )
    console.log(
      `  an edit of a match criterion, answer shown: ${fmt(matchEdits.ms)}; ${kb(median(matchEdits.bytes))} per edit`
    )
    console.log(`  selecting an event (its detail): ${fmt(select)}`)
    console.log(
      `  for comparison, the whole preview of every event (POST /api/check): ${kb(whole.bytes)}, ${whole.ms.toFixed(
        0
      )} ms`
    )
  } finally {
    await studio.close()
  }
}

main().catch((error: Error) => {
  console.error(error.message)
  process.exitCode = 1
})
