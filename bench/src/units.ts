/**
 * The units of work of each contender: each makes exactly one HTTP request.
 *
 *   reference  Segment's published Movable Ink destination, through actions-core's Destination.onEvent
 *   project    this project's destination, one event per request, through Destination.onEvent
 *   batched    this project's destination, Destination.onBatch with batching on (100 events a request)
 *   limit      no runtime: actions-core's own fetch posting pre-serialized bodies with basic auth
 *   client     context: actions-core's request client (basic auth hook, timeout, response parsing) posting
 *              the same bodies, without Destination.onEvent
 */
import { Destination, createRequestClient, fetch } from '@segment/actions-core'
import type { JSONObject, Result, SegmentEvent } from '@segment/actions-core'
import { loadBuiltDestination } from './builtDestination'
import type { DestinationDefinition } from './builtDestination'
import type { SegmentEvent as BenchEvent } from './events'
import type { ContenderId } from './results'
import type { Outcome, Unit } from './runRound'
import { presetSettings } from './runtimeSettings'
import type { Credentials } from './credentials'

export interface UnitsSpec extends Credentials {
  contender: ContenderId
  url: string
  /** The batched contender's batch_size. */
  batchSize: number
}

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

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

/** A unit that calls the runtime: a throw fails all its events; the responses are dropped either way. */
function runtimeUnit<S>(destination: Destination<S>, events: number, call: () => Promise<Outcome>): Unit {
  return async () => {
    try {
      return await call()
    } catch (error) {
      return { events, failed: events, error: errorText(error) }
    } finally {
      forgetResponses(destination)
    }
  }
}

function onEventUnits<S>(destination: Destination<S>, events: SegmentEvent[], settings: JSONObject): Unit[] {
  return events.map((event) =>
    runtimeUnit(destination, 1, async () => {
      await destination.onEvent(event, settings)
      return { events: 1, failed: 0 }
    })
  )
}

type MultiStatus = NonNullable<Result['multistatus']>[number]

function errorMessageOf(status: MultiStatus | undefined): string | undefined {
  return status && 'errormessage' in status ? status.errormessage : undefined
}

/** A batch's outcome from onBatch's multistatus: an event without a 200 status (or without a status) failed. */
function batchOutcome(size: number, result: Result | undefined): Outcome {
  const statuses = result?.multistatus ?? []
  const bad = statuses.filter((s) => s?.status !== 200)
  const failed = size - statuses.length + bad.length
  return { events: size, failed, error: failed ? errorMessageOf(bad[0]) ?? 'missing statuses' : undefined }
}

function onBatchUnits<S>(
  destination: Destination<S>,
  events: SegmentEvent[],
  settings: JSONObject,
  size: number
): Unit[] {
  const units: Unit[] = []
  for (let start = 0; start + size <= events.length; start += size) {
    const batch = events.slice(start, start + size)
    units.push(
      runtimeUnit(destination, size, async () => batchOutcome(size, (await destination.onBatch(batch, settings))[0]))
    )
  }
  return units
}

/** A unit of one event that posts and gets the answer's status: anything but 200 fails. */
function postUnit(post: () => Promise<number>): Unit {
  return async () => {
    try {
      const status = await post()
      return status === 200 ? { events: 1, failed: 0 } : { events: 1, failed: 1, error: `status ${status}` }
    } catch (error) {
      return { events: 1, failed: 1, error: errorText(error) }
    }
  }
}

function fetchUnits({ url, username, password }: UnitsSpec, events: SegmentEvent[]): Unit[] {
  const headers = {
    authorization: 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64'),
    'content-type': 'application/json'
  }
  const bodies = events.map((event) => JSON.stringify(event))
  return bodies.map((body) =>
    postUnit(async () => {
      const response = await fetch(url, { method: 'POST', headers, body })
      await response.text()
      return response.status
    })
  )
}

function requestClientUnits({ url, username, password }: UnitsSpec, events: SegmentEvent[]): Unit[] {
  const request = createRequestClient({ username, password })
  const bodies = events.map((event) => JSON.stringify(event))
  return bodies.map((body) =>
    postUnit(async () => {
      const headers = { 'content-type': 'application/json' }
      return (await request(url, { method: 'POST', headers, body, throwHttpErrors: false })).status
    })
  )
}

export async function makeUnits(spec: UnitsSpec, pool: BenchEvent[]): Promise<Unit[]> {
  const events = pool as unknown as SegmentEvent[]
  switch (spec.contender) {
    case 'reference':
      return onEventUnits(new Destination(await loadReferenceDestination()), events, presetSettings(spec.url, spec))
    case 'project':
      return onEventUnits(new Destination(await loadBuiltDestination()), events, presetSettings(spec.url, spec))
    case 'batched': {
      const settings = presetSettings(spec.url, spec, { enable_batching: true, batch_size: spec.batchSize })
      return onBatchUnits(new Destination(await loadBuiltDestination()), events, settings, spec.batchSize)
    }
    case 'limit':
      return fetchUnits(spec, events)
    case 'client':
      return requestClientUnits(spec, events)
    default:
      throw new Error(`unknown contender ${String(spec.contender)}`)
  }
}
