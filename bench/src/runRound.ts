/**
 * One round of one contender, in its own process: its units of work (each one HTTP request) cycled with a
 * fixed number in flight for a fixed time.
 */
import { performance } from 'perf_hooks'
import { percentile, round } from './stats'
import type { RoundFigures } from './results'

export interface Outcome {
  /** Events the request carried. */
  events: number
  failed: number
  error?: string
}

export type Unit = () => Promise<Outcome>

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
