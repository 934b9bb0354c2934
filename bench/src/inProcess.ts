/**
 * The in-process measurements, first, before any process competes for the CPU: our own per-event work, the
 * runtime's dispatch without a request, and Movable Ink's side (jq).
 */
import { measureBreakdown, measureRuntimeDispatch } from './breakdown'
import type { Breakdown } from './breakdown'
import { measureEndpointModel } from './endpointCost'
import { log } from './log'

export type InProcessFigures = Breakdown | { error: string }

function ourCodeLine(breakdown: InProcessFigures): string {
  if ('error' in breakdown) return breakdown.error
  const { projectSingleUs, stringifyUs, checksUs, projectBatchUs, runtimeDispatchUs } = breakdown
  return (
    `our code alone: ${projectSingleUs} µs/event single (JSON.stringify alone ${stringifyUs} µs, so checks ` +
    `${checksUs} µs), ${projectBatchUs} µs/event batched; ` +
    `actions-core dispatch without a request ${runtimeDispatchUs ?? '-'} µs/event`
  )
}

function endpointModelLine(breakdown: InProcessFigures): string {
  const jq = 'error' in breakdown ? undefined : breakdown.endpointModel
  if (!jq) return "Movable Ink's side: not measured (the endpoint model failed)"
  return (
    `Movable Ink's side (jq, default endpoint file, ${Math.round(jq.mappedShare * 100)}% mapped): ` +
    `jq-web load ${jq.jqLoadMs} ms, compile ${jq.compileMs} ms, ${jq.singleUs} µs/event one by one, ` +
    `${jq.batchUs} µs/event in runs of 100`
  )
}

export async function measureInProcess(sample: Record<string, unknown>[], quick: boolean): Promise<InProcessFigures> {
  const ms = quick ? 500 : 2000
  const breakdown = measureBreakdown(sample, 'http://127.0.0.1:1/events', ms)
  if (!('error' in breakdown)) {
    breakdown.runtimeDispatchUs = await measureRuntimeDispatch(sample, ms)
    breakdown.endpointModel = await measureEndpointModel(sample, ms)
  }
  log(ourCodeLine(breakdown))
  log(endpointModelLine(breakdown))
  return breakdown
}
