/**
 * What Movable Ink's side costs per event in-process: the endpoint model (src/endpointModel) evaluating the
 * benchmark's events against the default endpoint file, with jq itself (jq-web). It is not on the delivery
 * path (the destination never imports it); preview, the stand-in and the studio pay it.
 */
import path from 'path'
import { performance } from 'perf_hooks'
import { EXAMPLES_DIR } from '../../src/io/projectFiles'
import { round } from './stats'

export interface EndpointModelCost {
  /** Loading jq-web (its WebAssembly) once per process. */
  jqLoadMs: number
  /** Loading and checking the default endpoint file: every expression compiled by jq, then the one program. */
  compileMs: number
  /** evaluateEvent, one jq run per event (preview's way). */
  singleUs: number
  /** evaluateEvents over 100 events, one jq run per 100 (the stand-in's way, per request), per event. */
  batchUs: number
  /** The share of the events an active mapping takes (a check that the work done is the real work). */
  mappedShare: number
}

async function usPerEvent(events: unknown[], chunk: number, run: (part: unknown[]) => Promise<unknown>, ms: number) {
  let n = 0
  const t0 = performance.now()
  while (performance.now() - t0 < ms) {
    for (let i = 0; i + chunk <= events.length && performance.now() - t0 < ms; i += chunk) {
      await run(events.slice(i, i + chunk))
      n += chunk
    }
  }
  return ((performance.now() - t0) * 1000) / n
}

export async function measureEndpointModel(events: unknown[], ms = 1000): Promise<EndpointModelCost | undefined> {
  try {
    // Loaded here, not imported at the top: jq-web starts loading its WebAssembly when its module loads, and
    // jqLoadMs below is that load.
    const { loadJq } = await import('../../src/endpointModel/jq')
    const model = await import('../../src/endpointModel')
    let t0 = performance.now()
    await loadJq()
    const jqLoadMs = performance.now() - t0
    t0 = performance.now()
    // DEFAULT_ENDPOINT_FILE counts `..` from its own folder, which is bench/out/src/endpointModel here: its
    // name, in the project's examples/.
    const endpoint = await model.loadEndpointFile(path.join(EXAMPLES_DIR, path.basename(model.DEFAULT_ENDPOINT_FILE)))
    const compileMs = performance.now() - t0
    const evaluations = await model.evaluateEvents(endpoint, events)
    const single = (part: unknown[]) => model.evaluateEvent(endpoint, part[0])
    const batch = (part: unknown[]) => model.evaluateEvents(endpoint, part)
    await usPerEvent(events, 1, single, ms / 5)
    const singleUs = await usPerEvent(events, 1, single, ms)
    await usPerEvent(events, 100, batch, ms / 5)
    const batchUs = await usPerEvent(events, 100, batch, ms)
    return {
      jqLoadMs: round(jqLoadMs, 1),
      compileMs: round(compileMs, 1),
      singleUs: round(singleUs, 1),
      batchUs: round(batchUs, 1),
      mappedShare: round(evaluations.filter((e) => e.mapping).length / evaluations.length, 3)
    }
  } catch {
    return undefined
  }
}
