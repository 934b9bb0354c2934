/**
 * The stand-in (`movable-ink receive`) with the default event mappings against the same stand-in with
 * `--no-endpoint`: the same clients, one event per request, in alternating rounds of one run, so the ratio of
 * their requests/s is what evaluating every event in jq costs a Customer Data Endpoint. The events are the
 * benchmark's (all mapped by the default file), stamped now so that the 30-day window takes them all.
 *
 * On its own: `npm run bench:stand-in [-- --clients 8 --rounds 5 --seconds 2]`; `npm run bench` runs it too.
 */
import { spawn } from 'child_process'
import { Agent, request } from 'http'
import { performance } from 'perf_hooks'
import { firstMatchingLine, stopChildrenOnExit, track } from './childProcesses'
import { BENCH_CREDENTIALS } from './credentials'
import { makeEvents } from './events'
import { log } from './log'
import { CLI } from './paths'
import { median, round } from './stats'

export interface StandInLoadOptions {
  clients: number
  rounds: number
  seconds: number
}

export interface StandInLoadResult {
  clients: number
  rounds: number
  /** Median requests/s over the rounds. */
  withMappingsRps: number
  noEndpointRps: number
  /** Median of the per-round ratios (each compares two runs of one round). */
  ratio: number
  /** Requests answered other than 200 (there should be none). */
  failed: number
}

const AUTH = `Basic ${Buffer.from(`${BENCH_CREDENTIALS.username}:${BENCH_CREDENTIALS.password}`).toString('base64')}`

async function startStandIn(withMappings: boolean) {
  const { username, password } = BENCH_CREDENTIALS
  const mode = withMappings ? [] : ['--no-endpoint']
  const args = [CLI, 'receive', '--no-record', '--quiet', ...mode, '--username', username, '--access-secret', password]
  const child = track(spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] }))
  const [, url] = await firstMatchingLine(child, /post events to (\S+) /, 20_000, 'movable-ink receive')
  child.stdout?.resume()
  return { url, stop: () => child.kill('SIGTERM') }
}

function post(agent: Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = {
      'content-type': 'application/json',
      authorization: AUTH,
      'content-length': Buffer.byteLength(body)
    }
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** `clients` loops, each one request at a time on a kept-alive connection, for `seconds`. */
async function load(target: string, bodies: string[], clients: number, seconds: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients })
  const url = new URL(target)
  const until = performance.now() + seconds * 1000
  let [ok, failed, next] = [0, 0, 0]
  const started = performance.now()
  const loop = async () => {
    while (performance.now() < until) {
      const status = await post(agent, url, bodies[next++ % bodies.length])
      if (status === 200) ok++
      else failed++
    }
  }
  await Promise.all(Array.from({ length: clients }, loop))
  agent.destroy()
  return { rps: (ok + failed) / ((performance.now() - started) / 1000), failed }
}

function bodiesNow(count: number): string[] {
  const now = Date.now()
  return makeEvents(count).map((event, i) => JSON.stringify({ ...event, timestamp: new Date(now - i).toISOString() }))
}

export async function measureStandInLoad(options: StandInLoadOptions): Promise<StandInLoadResult> {
  const [mapped, plain] = await Promise.all([startStandIn(true), startStandIn(false)])
  const bodies = bodiesNow(2000)
  const rounds: { mapped: number; plain: number }[] = []
  let failed = 0
  try {
    // A warm-up round each: jq compiles its program, the sockets open.
    await load(mapped.url, bodies, options.clients, 1)
    await load(plain.url, bodies, options.clients, 1)
    for (let r = 0; r < options.rounds; r++) {
      const order = r % 2 === 0 ? [mapped, plain] : [plain, mapped]
      const figures = new Map<string, number>()
      for (const standIn of order) {
        const run = await load(standIn.url, bodies, options.clients, options.seconds)
        figures.set(standIn.url, run.rps)
        failed += run.failed
      }
      rounds.push({ mapped: figures.get(mapped.url) ?? 0, plain: figures.get(plain.url) ?? 0 })
    }
  } finally {
    mapped.stop()
    plain.stop()
  }
  return {
    clients: options.clients,
    rounds: options.rounds,
    withMappingsRps: round(median(rounds.map((r) => r.mapped)), 0),
    noEndpointRps: round(median(rounds.map((r) => r.plain)), 0),
    ratio: round(median(rounds.map((r) => r.mapped / r.plain)), 2),
    failed
  }
}

function argument(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(name)
  return at >= 0 ? Number(argv[at + 1]) : fallback
}

if (require.main === module) {
  stopChildrenOnExit()
  const argv = process.argv.slice(2)
  const options = {
    clients: argument(argv, '--clients', 8),
    rounds: argument(argv, '--rounds', 5),
    seconds: argument(argv, '--seconds', 2)
  }
  measureStandInLoad(options).then(
    (result) => {
      log(JSON.stringify(result))
      process.exit(0)
    },
    (error: Error) => {
      process.stderr.write(`${error.stack ?? error.message}\n`)
      process.exit(1)
    }
  )
}
