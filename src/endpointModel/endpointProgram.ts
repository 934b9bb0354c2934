import { SANDBOX_PRELUDE } from './jq'
import type { EndpointSpec } from './types'

/**
 * The whole endpoint as one jq program, so jq compiles every expression once for a run over many events. For
 * each event it outputs exactly one line: `{"m": [<match result per mapping>], "i": <index of the first active
 * match or null>, "f": [<field results of that mapping>] or null}`. Every expression runs inside `try`, so an
 * error in one mapping on one event is that event's problem and never stops the run; a result is `{"ok":
 * [outputs...]}` or `{"err": "<jq's message>"}`.
 *
 * Each expression was compiled on its own before (compileEndpoint), so it is a balanced jq expression and the
 * parentheses around it hold; it sits on its own lines so a trailing `# comment` cannot swallow them.
 */

const RESULT = 'def __mi_result(f): try {ok: [f]} catch {err: (if type == "string" then . else tojson end)};'
const MATCHED = 'def __mi_matched: (.ok // []) | length > 0 and .[0] != false and .[0] != null;'

function wrap(expression: string): string {
  return `__mi_result((\n${expression}\n))`
}

function fieldsOf(spec: EndpointSpec, index: number): string {
  return `[${spec.mappings[index].fields.map((f) => wrap(f.path)).join(',\n')}]`
}

export function endpointProgram(spec: EndpointSpec): string {
  const matches = spec.mappings.map((m) => wrap(m.match)).join(',\n')
  const active = spec.mappings.flatMap((m, i) => (m.active ? [i] : []))
  const fields = active.map((i) => `elif $i == ${i} then ${fieldsOf(spec, i)}`).join('\n')
  return [
    SANDBOX_PRELUDE,
    RESULT,
    MATCHED,
    `[${matches}] as $m`,
    `| ([${active.join(', ')}] | map(select(. as $k | $m[$k] | __mi_matched)) | .[0]) as $i`,
    `| {m: $m, i: $i, f: (if $i == null then null`,
    fields,
    'else null end)}'
  ].join('\n')
}

/** A program that runs several expressions on each event: one line per event, `[<result per expression>]`. */
export function expressionsProgram(expressions: string[]): string {
  return [SANDBOX_PRELUDE, RESULT, `[${expressions.map(wrap).join(',\n')}]`].join('\n')
}
