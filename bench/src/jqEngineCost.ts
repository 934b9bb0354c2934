/**
 * What the jq engine (src/endpointModel/jq/engine.ts) costs, with the default endpoint file and the example
 * events: one event at a time, runs of 100 and 1,000, a new program's start (an edit in the studio), a studio
 * re-check of 1,000 events after an edit, and the restart after a runaway. Standalone:
 * `npx ts-node --transpile-only bench/src/jqEngineCost.ts` prints the numbers as JSON (run from TypeScript, each
 * worker thread also loads scripts/workerTranspile.js, and TypeScript itself for a module not in its cache).
 */
import { readdirSync, readFileSync } from 'fs'
import { join } from 'path'
import { performance } from 'perf_hooks'
import {
  closeJqEngine,
  compileEndpoint,
  DEFAULT_ENDPOINT_FILE,
  evaluateEvent,
  evaluateEvents,
  keepSpareJqWorker,
  loadEndpointFile
} from '../../src/endpointModel'
import { EXAMPLES_DIR } from '../../src/io/projectFiles'
import type { CompiledEndpoint, EndpointSpec } from '../../src/endpointModel'

export interface JqEngineCost {
  /** Loading and checking the default endpoint file, every expression compile-checked (a fresh process). */
  loadEndpointMs: number
  /** evaluateEvent, one event at a time, per event. */
  loneEventUs: number
  /** evaluateEvents over 100 events, per event. */
  per100Us: number
  /** evaluateEvents over 1,000 events, per event. */
  per1000Us: number
  /** An edit's new program, from compileEndpoint to its first answer (a spare worker takes it; jq compiles it). */
  programStartMs: number
  /** The studio's re-check after an edit: compileEndpoint of the edited file, then its 1,000 events. */
  recheck1000Ms: number
  /** After a runaway's deadline, until the next event's answer (a fresh worker compiles the program). */
  restartAfterRunawayMs: number
  /** The share of the events an active mapping takes (a check that the work done is the real work). */
  mappedShare: number
}

const EVENTS_DIR = join(EXAMPLES_DIR, 'events')

function exampleEvents(): unknown[] {
  const files = readdirSync(EVENTS_DIR).filter((f) => f.endsWith('.json'))
  return files.sort().map((f) => JSON.parse(readFileSync(join(EVENTS_DIR, f), 'utf8')) as unknown)
}

function cycled(events: unknown[], count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => events[i % events.length])
}

function round(value: number, digits = 1): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

async function usPerEvent(events: unknown[], ms: number, run: (events: unknown[]) => Promise<unknown>) {
  let count = 0
  const start = performance.now()
  while (performance.now() - start < ms) {
    await run(events)
    count += events.length
  }
  return ((performance.now() - start) * 1000) / count
}

async function loneUs(endpoint: CompiledEndpoint, events: unknown[], ms: number): Promise<number> {
  let count = 0
  const start = performance.now()
  while (performance.now() - start < ms) await evaluateEvent(endpoint, events[count++ % events.length])
  return ((performance.now() - start) * 1000) / count
}

/** The default file with one match criterion changed, as an edit in the studio changes it. */
function edited(spec: EndpointSpec, edit: number): EndpointSpec {
  const mappings = spec.mappings.map((m, i) => (i === 0 ? { ...m, match: `${m.match} and ${edit} > 0` } : m))
  return { ...spec, mappings }
}

async function programStartMs(spec: EndpointSpec, event: unknown): Promise<number> {
  const start = performance.now()
  await evaluateEvent(await compileEndpoint(edited(spec, 1)), event)
  return performance.now() - start
}

async function recheckMs(spec: EndpointSpec, events: unknown[]): Promise<number> {
  const start = performance.now()
  await evaluateEvents(await compileEndpoint(edited(spec, 2)), events)
  return performance.now() - start
}

/** A mapping whose match runs away on one kind of event only; the event after it waits for the restart. */
async function restartMs(spec: EndpointSpec, events: unknown[]): Promise<number> {
  const runaway = { ...spec.mappings[0], name: 'Runaway', match: 'if .runaway then repeat(.) else false end' }
  const deadlineMs = 300
  const endpoint = await compileEndpoint({ ...spec, mappings: [runaway, ...spec.mappings] }, undefined, { deadlineMs })
  await evaluateEvents(endpoint, events)
  const stuck = evaluateEvent(endpoint, { ...(events[0] as object), runaway: true })
  const start = performance.now()
  await evaluateEvent(endpoint, events[1])
  const ms = performance.now() - start - deadlineMs
  await stuck
  return ms
}

export async function measureJqEngine(ms = 1000): Promise<JqEngineCost> {
  // As in the studio and the stand-in, whose costs these are: a worker started ahead for restarts and new programs.
  keepSpareJqWorker(true)
  const events = exampleEvents()
  const start = performance.now()
  const endpoint = await loadEndpointFile(DEFAULT_ENDPOINT_FILE)
  const loadEndpointMs = performance.now() - start
  const evaluations = await evaluateEvents(endpoint, events)
  await loneUs(endpoint, events, ms / 5)
  const loneEventUs = await loneUs(endpoint, events, ms)
  const per100Us = await usPerEvent(cycled(events, 100), ms, (part) => evaluateEvents(endpoint, part))
  const per1000Us = await usPerEvent(cycled(events, 1000), ms, (part) => evaluateEvents(endpoint, part))
  const cost: JqEngineCost = {
    loadEndpointMs: round(loadEndpointMs),
    loneEventUs: round(loneEventUs),
    per100Us: round(per100Us),
    per1000Us: round(per1000Us),
    programStartMs: round(await programStartMs(endpoint.spec, events[0])),
    recheck1000Ms: round(await recheckMs(endpoint.spec, cycled(events, 1000))),
    restartAfterRunawayMs: round(await restartMs(endpoint.spec, events)),
    mappedShare: round(evaluations.filter((e) => e.mapping).length / evaluations.length, 3)
  }
  closeJqEngine()
  return cost
}

if (require.main === module) {
  measureJqEngine().then(
    (cost) => console.log(JSON.stringify(cost, null, 2)),
    (error: unknown) => {
      console.error(error)
      process.exitCode = 1
    }
  )
}
