import type { CompiledEndpoint } from './compileEndpoint'
import { instrumentedEndpointProgram } from './endpointProgram'
import { failedEvaluation, interpret } from './interpretEvaluation'
import type { RawEvaluation } from './interpretEvaluation'
import { probeJqProgram } from './jq'
import type { JqLimits, JqStop } from './jq'
import { stoppedProblem } from './runawayMarks'
import type { RunawayMarks } from './runawayMarks'
import type { EventEvaluation } from './types'

/**
 * An event jq had to be stopped on. The endpoint's one program evaluates every expression, so the stop alone does
 * not say which ran away: the event is run once more, alone, through the program with a mark before each
 * expression (endpointProgram's instrumented form, about 40% slower, which is why it is not the usual one), and
 * the last mark before that run too is stopped names the expression, which is then marked as a runaway for the
 * program's life (runawayMarks.ts). Should that run finish after all, its answer stands. Too much output has no
 * culprit to find this way (it comes out at the end): it is not re-run.
 */

/** Stops that say the expression itself runs away (a crash may be the thread's, not the expression's). */
const MARKED_REASONS: JqStop['reason'][] = ['deadline', 'memory', 'stack']

/** The event, its JSON text, and how jq was stopped on it. */
interface Stopped {
  event: unknown
  text: string
  stop: JqStop
}

export async function runawayEvaluation(
  endpoint: CompiledEndpoint,
  { event, text, stop }: Stopped,
  marks: RunawayMarks,
  limits?: JqLimits,
  signal?: AbortSignal
): Promise<EventEvaluation> {
  if (stop.reason === 'output') return failedEvaluation(stoppedProblem(endpoint, stop, undefined))
  // Expressions marked meanwhile are left out here too: the run then names another, or finishes.
  const { program, marks: places } = instrumentedEndpointProgram(endpoint.spec, (at) => marks.of(at) !== undefined)
  const again = await probeJqProgram(program, text, limits, { signal })
  if (again.kind === 'outputs' && again.outputs.length === 1)
    return interpret(endpoint, again.outputs[0] as RawEvaluation, event, marks)
  const mark = again.kind === 'stopped' ? again.stop.mark : undefined
  const at = mark === undefined ? undefined : places[mark]
  // A stack overrun can corrupt jq into a loop that only the deadline ends; the run with marks sees the overrun.
  const cause = again.kind === 'stopped' && again.stop.reason === 'stack' ? again.stop : stop
  if (at && MARKED_REASONS.includes(cause.reason)) marks.add(at, cause)
  return failedEvaluation(stoppedProblem(endpoint, cause, at))
}
