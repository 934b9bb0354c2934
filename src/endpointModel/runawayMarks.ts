import type { CompiledEndpoint } from './compileEndpoint'
import { endpointProgram } from './endpointProgram'
import type { ExpressionAt } from './endpointProgram'
import { resolveJqLimits } from './jq'
import type { JqLimits, JqStop } from './jq'
import type { EventProblem } from './types'

/**
 * Expressions that ran away, per program (and deadline and memory cap), for the rest of the process: once jq was
 * stopped on an expression and the run with marks named it (runaway.ts), later events run a program in which
 * that expression is a constant `{"r": true}` (endpointProgram's notRun), and each event it concerns reports
 * the runaway without costing another deadline. The set only grows; changing the event mappings (a new program)
 * starts afresh. And how a runaway is told, on the event it happened on and on the later ones.
 */

export interface RunawayMark {
  at: ExpressionAt
  stop: JqStop
}

export class RunawayMarks {
  private readonly marks = new Map<string, RunawayMark>()
  private program: string | undefined
  private readonly listeners = new Set<() => void>()
  /** The hunts begun so far, each after the one before (see afterHunts). */
  private hunts: Promise<unknown> = Promise.resolve()

  constructor(private readonly endpoint: CompiledEndpoint) {}

  get size(): number {
    return this.marks.size
  }

  /** The mark of the expression at `at`, if it ran away. */
  of(at: ExpressionAt): RunawayMark | undefined {
    return this.marks.get(keyOf(at))
  }

  add(at: ExpressionAt, stop: JqStop): void {
    if (this.marks.has(keyOf(at))) return
    this.marks.set(keyOf(at), { at, stop })
    this.program = undefined
  }

  /**
   * Withdraws every job still waiting to run a program older than the current one: an event ran away in such a
   * program after its culprit was named, and the others waiting may well be the same kind (evaluateEvent.ts).
   */
  retireOlderPrograms(): void {
    for (const listener of [...this.listeners]) listener()
  }

  /**
   * Runs `hunt` once every hunt begun before it in this program has ended: two events stopped at once (two
   * callers') most often ran away on the same expression, which the first names and the second then leaves out.
   */
  afterHunts<T>(hunt: () => Promise<T>): Promise<T> {
    const next = this.hunts.then(hunt)
    this.hunts = next.catch(() => undefined)
    return next
  }

  /** Calls `listener` on retireOlderPrograms until the answer is called; the listener decides whether it is older. */
  onRetire(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The endpoint's program with every marked expression left out (the endpoint's own while none is). */
  currentProgram(): string {
    if (this.marks.size === 0) return this.endpoint.program || endpointProgram(this.endpoint.spec)
    this.program ??= endpointProgram(this.endpoint.spec, (at) => this.marks.has(keyOf(at)))
    return this.program
  }
}

function keyOf(at: ExpressionAt): string {
  if (at.decision !== undefined) return `d${at.decision}`
  return at.field === undefined ? `${at.mapping}` : `${at.mapping}.${at.field}`
}

/**
 * Programs whose marks are kept, the most recent last (the studio makes a new one per edit); per program, per
 * deadline and memory cap (a runaway at 300 ms may finish in 1 s). The program text itself is the key, as in the
 * engine: V8 hashes a string once, and each stand-in request looks its program up.
 */
const KEPT_PROGRAMS = 16
const kept = new Map<string, Map<string, RunawayMarks>>()

function keptFor(program: string): Map<string, RunawayMarks> {
  let byLimits = kept.get(program)
  if (byLimits) kept.delete(program)
  else byLimits = new Map<string, RunawayMarks>()
  kept.set(program, byLimits)
  for (const oldest of kept.keys()) {
    if (kept.size <= KEPT_PROGRAMS) break
    kept.delete(oldest)
  }
  return byLimits
}

/** The marks of the endpoint's program under these limits. */
export function runawayMarksOf(endpoint: CompiledEndpoint, limits?: JqLimits): RunawayMarks {
  const { deadlineMs, memoryCapMb } = resolveJqLimits(limits)
  const byLimits = keptFor(endpoint.program || endpointProgram(endpoint.spec))
  const key = `${deadlineMs} ${memoryCapMb}`
  let marks = byLimits.get(key)
  if (!marks) byLimits.set(key, (marks = new RunawayMarks(endpoint)))
  return marks
}

const SHOWN_EXPRESSION = 60

function shown(expression: string): string {
  const oneLine = expression.replace(/\s+/g, ' ').trim()
  return oneLine.length > SHOWN_EXPRESSION ? `${oneLine.slice(0, SHOWN_EXPRESSION - 1)}…` : oneLine
}

/** What happened (after the name of what it happened to: "its match criterion", "field X", "this event"), and the advice. */
function what(stop: JqStop): [string, string] {
  switch (stop.reason) {
    case 'deadline':
      return [`did not finish within ${stop.deadlineMs} ms`, 'check for recursion such as repeat or a recursive def']
    case 'memory':
      return [
        `needed more than ${stop.memoryCapMb} MB of memory`,
        'check for a value that grows without end, such as repeat or a huge range'
      ]
    case 'stack':
      return ['ran jq out of stack space', 'check for tojson or tostring on a value nested dozens of levels deep']
    case 'output':
      return [`gave results too large to take (${stop.detail})`, 'check for a field path that builds a huge value']
    default:
      return [`made jq fail (${stop.detail})`, '']
  }
}

function told(stop: JqStop, earlier: boolean): string {
  const [happened, advice] = what(stop)
  const when = earlier ? ' on an earlier event, so it is not run again until the event mappings change' : ''
  return `${happened}${when}${advice ? `: ${advice}` : ''}`
}

/** A decision's match criterion (notForMovableInk) that ran away. */
function decisionStopped(endpoint: CompiledEndpoint, stop: JqStop, decision: number, earlier: boolean): EventProblem {
  const expression = endpoint.spec.notForMovableInk?.[decision]?.match ?? ''
  return {
    kind: 'jq-error',
    message: `notForMovableInk[${decision}]: its match criterion ${told(stop, earlier)} (${shown(expression)})`,
    stopped: { reason: stop.reason, expression, ...(earlier ? { earlier } : {}) }
  }
}

/**
 * The problem of an event jq was stopped on (`earlier`: of an event whose expression was left out, having run
 * away on an earlier one), naming the expression when it is known.
 */
export function stoppedProblem(
  endpoint: CompiledEndpoint,
  stop: JqStop,
  at: ExpressionAt | undefined,
  earlier = false
): EventProblem {
  if (at?.decision !== undefined) return decisionStopped(endpoint, stop, at.decision, earlier)
  const mapping = at && endpoint.spec.mappings[at.mapping]
  if (!at || !mapping)
    return { kind: 'jq-error', message: `this event ${told(stop, earlier)}`, stopped: { reason: stop.reason } }
  const field = at.field === undefined ? undefined : mapping.fields[at.field]
  const expression = field ? field.path : mapping.match
  const subject = field ? `field ${field.name}` : 'its match criterion'
  return {
    kind: 'jq-error',
    ...(field ? { field: field.name } : {}),
    message: `mapping "${mapping.name}": ${subject} ${told(stop, earlier)} (${shown(expression)})`,
    stopped: { reason: stop.reason, mapping: mapping.name, expression, ...(earlier ? { earlier } : {}) }
  }
}
