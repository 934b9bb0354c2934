import type { CompiledEndpoint } from './compileEndpoint'
import { addConversionFixes } from './conversionFixes'
import { failedEvaluation, interpret } from './interpretEvaluation'
import type { RawEvaluation } from './interpretEvaluation'
import type { JqAnswer, JqLimits } from './jq'
import { runJqProgram } from './jq'
import { runawayEvaluation } from './runaway'
import { runawayMarksOf } from './runawayMarks'
import type { RunawayMarks } from './runawayMarks'
import type { EventEvaluation } from './types'

/**
 * What Movable Ink makes of events (the JSON it receives: one request body, or one element of a batch):
 * which mapping takes each, its schema fields' values, and what is wrong. The endpoint's program is compiled
 * once and kept by the jq engine, which evaluates each event on its own, off the main thread, within a deadline
 * and a memory cap (`limits`, else the endpoint's, else the defaults in jq/limits.ts). Never throws (but when
 * its signal aborts): whatever goes wrong in jq is a problem on that event only.
 *
 * One call's runaways have a budget, so that a batch of events that all run away costs a few deadlines, not one
 * each: after STOPS_PER_ROUND of its events were stopped, its events not answered yet are held back (the engine
 * halts them) until the run with marks has named the expression (runaway.ts); they then run again in a program
 * without it, each reporting that runaway at once. A round that names nothing new ends the call: what is left is
 * not run, and says why.
 */

/** Events of one call jq may be stopped on before the rest wait for the culprit to be named. */
const STOPS_PER_ROUND = 2
/** Rounds of one call at most (each follows a round that named a new runaway). */
const MAX_ROUNDS = 3

export interface EvaluateOptions {
  /** Aborting it stops the call's work in jq; the call then rejects with the signal's reason. */
  signal?: AbortSignal
}

function couldNot(message: string): EventEvaluation {
  return failedEvaluation({ kind: 'jq-error', message: `jq could not evaluate this event: ${message}` })
}

function notRun(stops: number): EventEvaluation {
  const message =
    `jq was not run on this event: jq was stopped on ${stops} other events given with it, which is all the jq ` +
    'time one request may take: fix what ran away on them, then send this event again'
  return failedEvaluation({ kind: 'jq-error', message })
}

async function evaluationOf(
  endpoint: CompiledEndpoint,
  answer: JqAnswer,
  event: unknown,
  text: string,
  marks: RunawayMarks,
  limits?: JqLimits,
  signal?: AbortSignal
): Promise<EventEvaluation> {
  switch (answer.kind) {
    case 'outputs':
      if (answer.outputs.length === 1) return interpret(endpoint, answer.outputs[0] as RawEvaluation, event, marks)
      return couldNot(`jq gave ${answer.outputs.length} results for it`)
    case 'stopped':
      return runawayEvaluation(endpoint, { event, text, stop: answer.stop }, marks, limits, signal)
    case 'unreadable':
      return couldNot(`jq cannot parse it: ${answer.message}`)
    case 'skipped':
      return couldNot(`it was ${answer.why}`)
    default:
      return couldNot(answer.message)
  }
}

interface Round {
  endpoint: CompiledEndpoint
  events: unknown[]
  texts: string[]
  evaluations: EventEvaluation[]
  marks: RunawayMarks
  limits?: JqLimits
  signal?: AbortSignal
  /** Events stopped so far. */
  stops: number
}

/** The events at `pending` through the program without the runaways known: their evaluations, and those halted. */
async function runRound(round: Round, pending: number[]): Promise<number[]> {
  const { endpoint, events, texts, marks, limits, signal } = round
  const run = { haltAfterStops: STOPS_PER_ROUND, signal }
  const answers = await runJqProgram(
    marks.currentProgram(),
    pending.map((i) => texts[i]),
    limits,
    run
  )
  signal?.throwIfAborted()
  const halted: number[] = []
  await Promise.all(
    answers.map(async (answer, k) => {
      const i = pending[k]
      if (answer.kind === 'stopped') round.stops += 1
      if (answer.kind === 'skipped') halted.push(i)
      else round.evaluations[i] = await evaluationOf(endpoint, answer, events[i], texts[i], marks, limits, signal)
    })
  )
  signal?.throwIfAborted()
  return halted.sort((a, b) => a - b)
}

export async function evaluateEvents(
  endpoint: CompiledEndpoint,
  events: unknown[],
  limits: JqLimits | undefined = endpoint.limits,
  options: EvaluateOptions = {}
): Promise<EventEvaluation[]> {
  if (events.length === 0) return []
  const texts = events.map((event) => JSON.stringify(event) ?? 'null')
  const marks = runawayMarksOf(endpoint, limits)
  const round: Round = { endpoint, events, texts, evaluations: [], marks, limits, signal: options.signal, stops: 0 }
  let pending = events.map((_, i) => i)
  for (let rounds = 1; pending.length > 0; rounds++) {
    const known = marks.size
    pending = await runRound(round, pending)
    if (pending.length > 0 && (marks.size === known || rounds === MAX_ROUNDS)) {
      for (const i of pending) round.evaluations[i] = notRun(round.stops)
      break
    }
  }
  await addConversionFixes(endpoint, round.evaluations, texts, limits)
  return round.evaluations
}

export async function evaluateEvent(
  endpoint: CompiledEndpoint,
  event: unknown,
  limits?: JqLimits
): Promise<EventEvaluation> {
  return (await evaluateEvents(endpoint, [event], limits))[0]
}
