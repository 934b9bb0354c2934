import type { JobOutcome, JqNotStarted, JqSkipReason, JqStop } from './jobQueue'
import { ANSWER_CAP_SHARE } from './limits'
import type { JqCheckAnswer, JqStreamAnswer } from './protocol'

/** What the engine answers, per event and per compile check, read from what its workers said. */

export type JqAnswer =
  /** The program's outputs for the event, and jq's own text of them (a JSON array). */
  | { kind: 'outputs'; outputs: unknown[]; json: string }
  /** The program raised an error it did not catch itself. */
  | { kind: 'error'; message: string }
  /** jq cannot parse the event's text (a lone surrogate `\ud800`, say). */
  | { kind: 'unreadable'; message: string }
  /** jq was stopped on this event: too slow, too big, out of stack, crashed, or printing too much. */
  | { kind: 'stopped'; stop: JqStop }
  /** The program itself did not start (jq did not compile it, or not in time). */
  | { kind: 'not-started'; message: string; notStarted: JqNotStarted }
  /** Not run: the call's runaways spent its budget (haltAfterStops), or its signal aborted. */
  | { kind: 'skipped'; why: JqSkipReason }

export type JqCheck =
  | { kind: 'compiles' }
  | { kind: 'compile-error'; message: string }
  | { kind: 'stopped'; stop: JqStop }
  | { kind: 'not-started'; message: string; notStarted: JqNotStarted }

/** jq's exit status for a program that does not compile. */
const COMPILE_ERROR_EXIT = 3

/** jq's fromjson quotes the whole text it could not parse; the event is at hand already. */
function withoutQuotedText(message: string): string {
  const quoted = message.indexOf(" (while parsing '")
  return quoted < 0 ? message : message.slice(0, quoted)
}

/** Why a program did not start, in a sentence (jq's compile errors as jq wrote them). */
export function notStartedMessage(notStarted: JqNotStarted): string {
  const stderr = notStarted.stderr.trim()
  if (notStarted.reason === 'exit' && stderr) return stderr
  return notStarted.detail
}

export function streamAnswerOf(outcome: JobOutcome, memoryCapMb: number, deadlineMs: number): JqAnswer {
  if ('skipped' in outcome) return { kind: 'skipped', why: outcome.skipped }
  if ('notStarted' in outcome)
    return { kind: 'not-started', message: notStartedMessage(outcome.notStarted), notStarted: outcome.notStarted }
  if ('stop' in outcome) return { kind: 'stopped', stop: outcome.stop }
  const line = outcome.answer as JqStreamAnswer
  if (typeof line !== 'string') {
    const detail = `${line.oversizedBytes} bytes, more than ${memoryCapMb * ANSWER_CAP_SHARE} MB`
    return { kind: 'stopped', stop: { reason: 'output', detail, deadlineMs, memoryCapMb } }
  }
  let value: unknown[] | { e?: string; u?: string }
  try {
    value = JSON.parse(line) as typeof value
  } catch {
    return { kind: 'error', message: `jq printed something other than JSON: ${line.slice(0, 200)}` }
  }
  if (Array.isArray(value)) return { kind: 'outputs', outputs: value, json: line }
  if (value.u !== undefined) return { kind: 'unreadable', message: withoutQuotedText(value.u) }
  return { kind: 'error', message: value.e ?? line }
}

/**
 * jq's compile error for the expression alone: its line numbers put back to the expression's own (it is on line
 * 2 of the check), without jq's "(Unix shell quoting issues?)" hint (there is no shell here) and its count.
 */
function compileErrorMessage(stderr: string): string {
  return stderr
    .trim()
    .replace(/ at <top-level>, line (\d+):/g, (_all, line: string) => ` at <top-level>, line ${Number(line) - 1}:`)
    .replace(/ \(Unix shell quoting issues\?\)/g, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n\s*jq: \d+ compile errors?$/, '')
}

export function checkOf(outcome: JobOutcome): JqCheck {
  // Checks are submitted without a signal or a budget, so none is skipped; were one, it was not checked.
  if ('skipped' in outcome) {
    const notStarted: JqNotStarted = { reason: 'closed', detail: `the check was ${outcome.skipped}`, stderr: '' }
    return { kind: 'not-started', message: notStarted.detail, notStarted }
  }
  if ('notStarted' in outcome)
    return { kind: 'not-started', message: notStartedMessage(outcome.notStarted), notStarted: outcome.notStarted }
  if ('stop' in outcome) return { kind: 'stopped', stop: outcome.stop }
  const answer = outcome.answer as JqCheckAnswer
  if (answer.exitCode !== COMPILE_ERROR_EXIT) return { kind: 'compiles' }
  return { kind: 'compile-error', message: compileErrorMessage(answer.stderr) }
}
