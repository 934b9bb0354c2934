import type { CompiledEndpoint } from './compileEndpoint'
import { instrumentedEndpointProgram } from './endpointProgram'
import type { ExpressionAt } from './endpointProgram'
import { failedEvaluation, interpret } from './interpretEvaluation'
import type { RawEvaluation } from './interpretEvaluation'
import { probeJqProgram } from './jq'
import type { JqLimits, JqStop } from './jq'
import type { EventEvaluation, EventProblem } from './types'

/**
 * An event jq had to be stopped on. The endpoint's one program evaluates every expression, so the stop alone does
 * not say which ran away: the event is run once more, alone, through the program with a mark before each
 * expression (endpointProgram's instrumented form, about 40% slower, which is why it is not the usual one), and
 * the last mark before that run too is stopped names the expression. Should that run finish after all, its
 * answer stands. Too much output has no culprit to find this way (it comes out at the end): it is not re-run.
 */

const SHOWN_EXPRESSION = 60

function shown(expression: string): string {
  const oneLine = expression.replace(/\s+/g, ' ').trim()
  return oneLine.length > SHOWN_EXPRESSION ? `${oneLine.slice(0, SHOWN_EXPRESSION - 1)}…` : oneLine
}

/** What happened, after the name of what it happened to ("its match criterion", "field X", "this event"). */
function what(stop: JqStop): string {
  switch (stop.reason) {
    case 'deadline':
      return `did not finish within ${stop.deadlineMs} ms: check for recursion such as repeat or a recursive def`
    case 'memory':
      return `needed more than ${stop.memoryCapMb} MB of memory: check for a value that grows without end, such as repeat or a huge range`
    case 'stack':
      return 'ran jq out of stack space: check for tojson or tostring on a value nested dozens of levels deep'
    case 'output':
      return `gave results too large to take (${stop.detail}): check for a field path that builds a huge value`
    default:
      return `made jq fail (${stop.detail})`
  }
}

function stoppedProblem(endpoint: CompiledEndpoint, stop: JqStop, at: ExpressionAt | undefined): EventProblem {
  const mapping = at && endpoint.spec.mappings[at.mapping]
  if (!at || !mapping)
    return { kind: 'jq-error', message: `this event ${what(stop)}`, stopped: { reason: stop.reason } }
  const field = at.field === undefined ? undefined : mapping.fields[at.field]
  const expression = field ? field.path : mapping.match
  const subject = field ? `field ${field.name}` : 'its match criterion'
  return {
    kind: 'jq-error',
    ...(field ? { field: field.name } : {}),
    message: `mapping "${mapping.name}": ${subject} ${what(stop)} (${shown(expression)})`,
    stopped: { reason: stop.reason, mapping: mapping.name, expression }
  }
}

export async function runawayEvaluation(
  endpoint: CompiledEndpoint,
  event: unknown,
  text: string,
  stop: JqStop,
  limits?: JqLimits
): Promise<EventEvaluation> {
  if (stop.reason === 'output') return failedEvaluation(stoppedProblem(endpoint, stop, undefined))
  const { program, marks } = instrumentedEndpointProgram(endpoint.spec)
  const again = await probeJqProgram(program, text, limits)
  if (again.kind === 'outputs' && again.outputs.length === 1)
    return interpret(endpoint, again.outputs[0] as RawEvaluation, event)
  const mark = again.kind === 'stopped' ? again.stop.mark : undefined
  // A stack overrun can corrupt jq into a loop that only the deadline ends; the run with marks sees the overrun.
  const cause = again.kind === 'stopped' && again.stop.reason === 'stack' ? again.stop : stop
  return failedEvaluation(stoppedProblem(endpoint, cause, mark === undefined ? undefined : marks[mark]))
}
