import type { EndpointSpec } from './types'

/**
 * The whole endpoint as one jq program, so jq compiles every expression once for all the events it is given.
 * For each event it outputs exactly one value: `{"m": [<match result per mapping>], "i": <index of the first
 * active match or null>, "f": [<field results of that mapping>] or null}`. Every expression runs inside `try`,
 * so an error in one mapping on one event is that event's problem and never stops the run. A match result is
 * `true` (its first output is true), `false` (none, false or null), `{"t": "<type>"}` (a first output of
 * another type, which Movable Ink counts as a match too: `.event` gives a string), or `{"err": "<jq's
 * message>"}`; a field result
 * is `{"ok": [outputs...]}` or `{"err": ...}`. The engine runs it inside its sandbox (jq/sandbox.ts).
 *
 * Each expression was compiled on its own before (compileEndpoint), so it is a balanced jq expression and the
 * parentheses around it hold; it sits on its own lines so a trailing `# comment` cannot swallow them.
 */

const ERROR = '{err: (if type == "string" then . else tojson end)}'
const RESULT = `def __mi_result(f): try {ok: [f]} catch ${ERROR};`
/**
 * A match as a boolean, not as its outputs: jq builds and prints nine objects less per event (10-15% of its
 * time). Only a first output that is neither a boolean nor null is told apart, by its type. Every output is
 * still computed, as a jq that collects a filter's outputs does: a criterion that never stops (`repeat(.)`)
 * is a runaway even though its first output came at once.
 */
const MATCH = `def __mi_match(f): try ([f] | if length == 0 then false else .[0] | if . == true then true elif . == false or . == null then false else {t: type} end end) catch ${ERROR};`
/** Whether a match result (above) takes the event. */
const MATCHED = 'def __mi_matched: . == true or (type == "object" and has("t"));'

/** Which expression of the endpoint: a mapping's match criterion, or one of its fields' paths. */
export interface ExpressionAt {
  mapping: number
  field?: number
}

type Wrap = (expression: string, at: ExpressionAt) => string

function wrap(expression: string, at?: ExpressionAt): string {
  return `${at && at.field === undefined ? '__mi_match' : '__mi_result'}((\n${expression}\n))`
}

function fieldsOf(spec: EndpointSpec, index: number, wrapped: Wrap): string {
  return `[${spec.mappings[index].fields.map((f, field) => wrapped(f.path, { mapping: index, field })).join(',\n')}]`
}

function programOf(spec: EndpointSpec, wrapped: Wrap): string {
  const matches = spec.mappings.map((m, mapping) => wrapped(m.match, { mapping })).join(',\n')
  const active = spec.mappings.flatMap((m, i) => (m.active ? [i] : []))
  const fields = active.map((i) => `elif $i == ${i} then ${fieldsOf(spec, i, wrapped)}`).join('\n')
  return [
    RESULT,
    MATCH,
    MATCHED,
    `[${matches}] as $m`,
    `| ([${active.join(', ')}] | map(select(. as $k | $m[$k] | __mi_matched)) | .[0]) as $i`,
    `| {m: $m, i: $i, f: (if $i == null then null`,
    fields,
    'else null end)}'
  ].join('\n')
}

/**
 * An expression left out of the program (it ran away before, see runawayMarks.ts) is this constant in its place:
 * a match result that takes no event, a field result with neither outputs nor an error.
 */
const NOT_RUN = '{r: true}'

/** Whether an expression is left out of the program. */
export type NotRun = (at: ExpressionAt) => boolean

function wrapUnless(notRun: NotRun | undefined): Wrap {
  return (expression, at) => (notRun?.(at) ? NOT_RUN : wrap(expression, at))
}

export function endpointProgram(spec: EndpointSpec, notRun?: NotRun): string {
  return programOf(spec, wrapUnless(notRun))
}

/**
 * The same program with a mark before each expression (the sandbox's `__mi_mark(k)`): run on an event jq had
 * to stop, the last mark it wrote names the expression that ran away; `marks[k]` says which one that is.
 */
export function instrumentedEndpointProgram(
  spec: EndpointSpec,
  notRun?: NotRun
): { program: string; marks: ExpressionAt[] } {
  const marks: ExpressionAt[] = []
  const wrapped = wrapUnless(notRun)
  const program = programOf(spec, (expression, at) => {
    marks.push(at)
    return `(__mi_mark(${marks.length - 1}), ${wrapped(expression, at)})`
  })
  return { program, marks }
}

/** A program that runs several expressions on each event: one value per event, `[<result per expression>]`. */
export function expressionsProgram(expressions: string[]): string {
  return [RESULT, `[${expressions.map((expression) => wrap(expression)).join(',\n')}]`].join('\n')
}
