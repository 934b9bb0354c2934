/**
 * One contender in its own process (so that its peak RSS is its own), driven round by round by main.js over
 * IPC. Each round keeps `concurrency` requests in flight for `durationMs`, over the same event pool in the
 * same order for every contender, and reports events per second, per-event latency p50/p99 and failures.
 *
 * Contenders:
 *   reference  Segment's published Movable Ink destination, through actions-core's Destination.onEvent
 *   project    this project's destination, one event per request, through Destination.onEvent
 *   batched    this project's destination, Destination.onBatch with batching on (100 events a request)
 *   limit      no runtime: actions-core's own fetch posting pre-serialized bodies with basic auth
 *   client     context: actions-core's request client (basic auth hook, timeout, response parsing) posting
 *              the same bodies, without Destination.onEvent
 */
import { performance } from 'perf_hooks'
import { Destination } from '@segment/actions-core'
import type { Result, SegmentEvent as CoreSegmentEvent } from '@segment/actions-core'
import { loadBuiltDestination } from './builtDestination'
import type { DestinationDefinition } from './builtDestination'
import { makeEvents } from './events'
import type { SegmentEvent } from './events'
import { percentile, round } from './stats'
import type { ContenderId, RoundFigures } from './results'

export const SUBSCRIBE = 'type = "identify" or type = "track" or type = "page" or type = "screen" or type = "group"'

export interface WorkerInit {
  contender: ContenderId
  url: string
  username: string
  password: string
  poolSize: number
  batchSize: number
}

type Unit = () => Promise<{ events: number; failed: number; error?: string }>

/** Segment's published destination, loaded only by the contender that runs it (its modules count in its RSS). */
async function loadReferenceDestination(): Promise<DestinationDefinition> {
  return (await import('@segment/action-destinations/dist/destinations/movable-ink')).default
}

/**
 * actions-core's Destination pushes every response it sees (with its request and options, body included) onto
 * `destination.responses` and never lets go: a host that keeps one Destination for many events must empty it,
 * or memory grows with every request (to over 1 GB in a few seconds of batching). The benchmark empties it
 * after every call, for every runtime contender alike, so that peak RSS shows what a delivery needs.
 */
function forgetResponses(destination: { readonly responses: unknown[] }): void {
  destination.responses.length = 0
}

type MultiStatus = NonNullable<Result['multistatus']>[number]

function errorMessageOf(status: MultiStatus | undefined): string | undefined {
  return status && 'errormessage' in status ? status.errormessage : undefined
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

/** The units of work of a contender: each makes exactly one HTTP request. */
export async function makeUnits(init: WorkerInit, pool: SegmentEvent[]): Promise<Unit[]> {
  const events = pool as unknown as CoreSegmentEvent[]
  const { url, username, password, batchSize } = init
  const subscription = { subscribe: SUBSCRIBE, partnerAction: 'sendEntireEvent', mapping: { data: { '@path': '$.' } } }
  switch (init.contender) {
    case 'reference':
    case 'project': {
      const destination = new Destination(
        init.contender === 'reference' ? await loadReferenceDestination() : await loadBuiltDestination()
      )
      const settings = { username, password, movable_ink_url: url, subscription }
      return events.map((event) => async () => {
        try {
          await destination.onEvent(event, settings)
          return { events: 1, failed: 0 }
        } catch (error) {
          return { events: 1, failed: 1, error: errorText(error) }
        } finally {
          forgetResponses(destination)
        }
      })
    }
    case 'batched': {
      const destination = new Destination(await loadBuiltDestination())
      const settings = {
        username,
        password,
        movable_ink_url: url,
        subscription: {
          ...subscription,
          mapping: { ...subscription.mapping, enable_batching: true, batch_size: batchSize }
        }
      }
      const units: Unit[] = []
      for (let start = 0; start + batchSize <= events.length; start += batchSize) {
        const batch = events.slice(start, start + batchSize)
        units.push(async () => {
          try {
            const [result] = await destination.onBatch(batch, settings)
            const statuses = result?.multistatus ?? []
            const bad = statuses.filter((s) => s?.status !== 200)
            const failed = batch.length - statuses.length + bad.length
            return {
              events: batch.length,
              failed,
              error: failed ? errorMessageOf(bad[0]) ?? 'missing statuses' : undefined
            }
          } catch (error) {
            return { events: batch.length, failed: batch.length, error: errorText(error) }
          } finally {
            forgetResponses(destination)
          }
        })
      }
      return units
    }
    case 'limit': {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { fetch } = require('@segment/actions-core') as { fetch: typeof globalThis.fetch }
      const headers = {
        authorization: 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64'),
        'content-type': 'application/json'
      }
      const bodies = events.map((event) => JSON.stringify(event))
      return bodies.map((body) => async () => {
        try {
          const response = await fetch(url, { method: 'POST', headers, body })
          await response.text()
          return response.status === 200
            ? { events: 1, failed: 0 }
            : { events: 1, failed: 1, error: `status ${response.status}` }
        } catch (error) {
          return { events: 1, failed: 1, error: errorText(error) }
        }
      })
    }
    case 'client': {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { createRequestClient } = require('@segment/actions-core') as {
        createRequestClient: (
          options: Record<string, unknown>
        ) => (url: string, options: Record<string, unknown>) => Promise<{ status: number }>
      }
      const request = createRequestClient({ username, password })
      const bodies = events.map((event) => JSON.stringify(event))
      return bodies.map((body) => async () => {
        try {
          const response = await request(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            throwHttpErrors: false
          })
          return response.status === 200
            ? { events: 1, failed: 0 }
            : { events: 1, failed: 1, error: `status ${response.status}` }
        } catch (error) {
          return { events: 1, failed: 1, error: errorText(error) }
        }
      })
    }
    default:
      throw new Error(`unknown contender ${String(init.contender)}`)
  }
}

/**
 * Runs `units` in order (cycling) with `concurrency` in flight until `durationMs` has passed, then waits for
 * the requests in flight. A unit's latency counts once for each event it carried (a batch's request latency
 * is the latency of each of its events).
 */
export async function runRound(units: Unit[], concurrency: number, durationMs: number, roundNumber: number) {
  const latencies: number[] = []
  let next = 0
  let events = 0
  let requests = 0
  let failed = 0
  let firstError: string | undefined
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  const deadline = started + durationMs
  async function lane() {
    while (performance.now() < deadline) {
      const unit = units[next++ % units.length]
      const t0 = performance.now()
      const outcome = await unit()
      const dt = performance.now() - t0
      requests++
      events += outcome.events
      failed += outcome.failed
      if (outcome.error && !firstError) firstError = outcome.error
      for (let i = 0; i < outcome.events; i++) latencies.push(dt)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane))
  const elapsedMs = performance.now() - started
  const cpu = process.cpuUsage(cpuBefore)
  const figures: RoundFigures = {
    round: roundNumber,
    events,
    requests,
    failed,
    elapsedMs: round(elapsedMs, 1),
    eventsPerSecond: round((events / elapsedMs) * 1000, 1),
    p50Ms: round(percentile(latencies, 50), 3),
    p99Ms: round(percentile(latencies, 99), 3),
    cpuUsPerEvent: round((cpu.user + cpu.system) / Math.max(1, events), 2)
  }
  return { figures, firstError }
}

function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024
}

interface RoundMessage {
  type: 'round'
  round: number
  durationMs: number
  concurrency: number
}

async function main() {
  const init = JSON.parse(process.argv[2]) as WorkerInit
  const events = makeEvents(init.poolSize)
  const units = await makeUnits(init, events)
  process.send?.({ type: 'ready', units: units.length, baselineRssBytes: process.memoryUsage.rss() })
  process.on('message', (message: RoundMessage | { type: 'exit' }) => {
    if (message.type === 'exit') {
      // process.exit still writes the --cpu-prof profile; idle keep-alive sockets would keep us alive.
      process.exit(0)
    }
    if (message.type === 'round') {
      runRound(units, message.concurrency, message.durationMs, message.round).then(
        ({ figures, firstError }) =>
          process.send?.({
            type: 'round',
            figures,
            firstError,
            peakRssBytes: peakRssBytes(),
            rssBytes: process.memoryUsage.rss()
          }),
        (error) => process.send?.({ type: 'error', error: errorText(error) })
      )
    }
  })
}

if (require.main === module) {
  main().catch((error) => {
    process.send?.({ type: 'error', error: errorText(error) })
    process.exitCode = 1
  })
}
