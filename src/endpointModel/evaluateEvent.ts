import type { CompiledEndpoint } from './compileEndpoint'
import { addConversionFixes } from './conversionFixes'
import { endpointProgram } from './endpointProgram'
import { failedEvaluation, interpret } from './interpretEvaluation'
import type { RawEvaluation } from './interpretEvaluation'
import type { JqAnswer, JqLimits } from './jq'
import { runJqProgram } from './jq'
import { runawayEvaluation } from './runaway'
import type { EventEvaluation } from './types'

/**
 * What Movable Ink makes of events (the JSON it receives: one request body, or one element of a batch):
 * which mapping takes each, its schema fields' values, and what is wrong. The endpoint's program is compiled
 * once and kept by the jq engine, which evaluates each event on its own, off the main thread, within a deadline
 * and a memory cap (`limits`, else the endpoint's, else the defaults in jq/limits.ts). Never throws: whatever goes
 * wrong in jq is a problem on that event only.
 */

function couldNot(message: string): EventEvaluation {
  return failedEvaluation({ kind: 'jq-error', message: `jq could not evaluate this event: ${message}` })
}

async function evaluationOf(
  endpoint: CompiledEndpoint,
  answer: JqAnswer,
  event: unknown,
  text: string,
  limits?: JqLimits
): Promise<EventEvaluation> {
  switch (answer.kind) {
    case 'outputs':
      if (answer.outputs.length === 1) return interpret(endpoint, answer.outputs[0] as RawEvaluation, event)
      return couldNot(`jq gave ${answer.outputs.length} results for it`)
    case 'stopped':
      return runawayEvaluation(endpoint, event, text, answer.stop, limits)
    case 'unreadable':
      return couldNot(`jq cannot parse it: ${answer.message}`)
    default:
      return couldNot(answer.message)
  }
}

export async function evaluateEvents(
  endpoint: CompiledEndpoint,
  events: unknown[],
  limits: JqLimits | undefined = endpoint.limits
): Promise<EventEvaluation[]> {
  if (events.length === 0) return []
  const texts = events.map((event) => JSON.stringify(event) ?? 'null')
  const answers = await runJqProgram(endpoint.program || endpointProgram(endpoint.spec), texts, limits)
  const evaluations = await Promise.all(
    answers.map((answer, i) => evaluationOf(endpoint, answer, events[i], texts[i], limits))
  )
  await addConversionFixes(endpoint, evaluations, texts, limits)
  return evaluations
}

export async function evaluateEvent(
  endpoint: CompiledEndpoint,
  event: unknown,
  limits?: JqLimits
): Promise<EventEvaluation> {
  return (await evaluateEvents(endpoint, [event], limits))[0]
}
