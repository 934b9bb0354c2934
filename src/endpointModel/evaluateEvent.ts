import type { CompiledEndpoint } from './compileEndpoint'
import { addConversionFixes } from './conversionFixes'
import { failedEvaluation, interpret } from './interpretEvaluation'
import type { RawEvaluation } from './interpretEvaluation'
import type { JqAnswer, JqLimits, JqStop } from './jq'
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
 * Runaways have a budget, so that events that all run away cost a few deadlines, not one each. When jq is
 * stopped on an event, the run with marks names the expression at once (runaway.ts), while the engine holds
 * back the rest of that call (its events may run away the same way) and runs other calls' events on; when
 * another call's event runs away too meanwhile, its hunt waits for the first, and the engine runs nothing of that
 * program until both end. The jobs waiting then run on through the same program, so that a runaway's
 * neighbours are evaluated as they are; but when one more of them runs away, every call's jobs still waiting
 * for a program older than the current one are withdrawn and run again, in a round of their own, through the
 * program without what was named, each event it concerns reporting that runaway at once. So one request's
 * runaways cost another request's plain event one deadline, and many requests that each bring one runaway
 * cost it two deadlines and the end of a hunt, not a deadline each. A call is not run further
 * after STOPS_PER_ROUND of its events were stopped in a round that named nothing new, or after MAX_ROUNDS
 * rounds in which its events were stopped: what is left says why.
 */

/** Events of one call jq may be stopped on in a round whose hunts name nothing new (a crash, say). */
const STOPS_PER_ROUND = 2
/** Rounds in which one call's own events were stopped, at most (each follows a round that named a new runaway). */
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

/**
 * The events at `pending` through the current program: jq's answers, and the evaluation of each one stopped,
 * hunted as soon as it was stopped. When the program is older than the current one by then (an expression was
 * named since), the stop withdraws the jobs of every older program not answered yet, this round's too: they are
 * skipped, to run again through the program without it.
 */
async function runJobs(round: Round, pending: number[]) {
  const { endpoint, events, texts, marks, limits, signal } = round
  const known = marks.size
  const older = () => marks.size > known
  const hunts = new Map<number, Promise<EventEvaluation>>()
  const onStop = (k: number, stop: JqStop) => {
    const i = pending[k]
    const hunt = marks.afterHunts(() => {
      if (older()) marks.retireOlderPrograms()
      return runawayEvaluation(endpoint, { event: events[i], text: texts[i], stop }, marks, limits, signal)
    })
    hunts.set(k, hunt)
    // Awaited with the round's answers, unless the call is cancelled first.
    hunt.catch(() => undefined)
    return hunt
  }
  const withdrawn = new AbortController()
  const stopListening = marks.onRetire(() => older() && withdrawn.abort())
  const either = signal ? AbortSignal.any([signal, withdrawn.signal]) : withdrawn.signal
  try {
    const jobs = pending.map((i) => texts[i])
    const run = { haltAfterStops: STOPS_PER_ROUND, signal: either, onStop }
    return { answers: await runJqProgram(marks.currentProgram(), jobs, limits, run), hunts }
  } finally {
    stopListening()
  }
}

/** The events at `pending` through the program without the runaways known: their evaluations, and those halted. */
async function runRound(round: Round, pending: number[]): Promise<number[]> {
  const { endpoint, events, texts, marks, limits, signal } = round
  const { answers, hunts } = await runJobs(round, pending)
  signal?.throwIfAborted()
  const halted: number[] = []
  await Promise.all(
    answers.map(async (answer, k) => {
      const i = pending[k]
      if (answer.kind === 'stopped') round.stops += 1
      if (answer.kind === 'skipped') halted.push(i)
      else
        round.evaluations[i] = await (hunts.get(k) ??
          evaluationOf(endpoint, answer, events[i], texts[i], marks, limits, signal))
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
  // Rounds in which this call's own events were stopped: a round withdrawn for another's runaway costs it nothing.
  let spent = 0
  while (pending.length > 0) {
    const [known, stops] = [marks.size, round.stops]
    pending = await runRound(round, pending)
    if (round.stops > stops) spent += 1
    if (pending.length > 0 && (marks.size === known || spent === MAX_ROUNDS)) {
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
