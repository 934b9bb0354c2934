/**
 * The jq text the engine puts around every program and every compile check. Each event goes through one
 * long-lived jq main() as one line of its input, so builtins that would see past the event are shadowed by
 * definitions that fail or do nothing: `input`/`inputs` would read the next events, `halt`/`halt_error` would end
 * the stream for all of them, `debug`/`stderr` would write into the channel the engine reads marks from, and
 * `input_line_number` would count the events before this one (it is 0, as for an event given to jq alone).
 * `$ENV` and `env` need no shadow: the engine gives jq an empty environment (thread/instance.ts).
 */
export const SANDBOX_PRELUDE = [
  'def input: error("input is not available in a mapping");',
  'def inputs: error("inputs is not available in a mapping");',
  'def halt: error("halt is not available in a mapping");',
  'def halt_error: error("halt_error is not available in a mapping");',
  'def halt_error($code): error("halt_error is not available in a mapping");',
  'def debug: .;',
  'def debug($message): .;',
  'def stderr: .;',
  'def input_filename: null;',
  'def input_line_number: 0;'
].join(' ')

/**
 * `__mi_mark(k)` writes `[k]` to stderr (jq's own `stderr`, defined before the sandbox shadows it): an
 * instrumented program marks each expression before it runs, so when jq is stopped the last mark names it.
 */
const MARK = 'def __mi_mark($k): [$k] | stderr | empty;'

/**
 * A program as the engine runs it, over raw input lines: each line is parsed with fromjson inside `try`, so an
 * event text jq cannot parse (a lone surrogate `\ud800`, say) is that line's answer, not the end of the stream;
 * and whatever the program does, each line gives exactly one output line: `[<its outputs>]`, `{"e": <its
 * uncaught error>}`, or `{"u": <why jq cannot parse the text>}`. The program starts on line 2, as it would after
 * the one-line prelude on its own, so `$__loc__` and jq's messages count lines alike.
 */
export function streamProgram(program: string): string {
  return [
    `${MARK} ${SANDBOX_PRELUDE} def __mi_program: (`,
    program,
    ');',
    'try (fromjson | try [__mi_program] catch {e: (if type == "string" then . else tojson end)}) catch {u: .}'
  ].join('\n')
}

/**
 * A compile check: jq compiles the expression after `empty |` and never runs it. The expression comes last and
 * on its own line, so jq's message (an "unexpected end of file" for one cut short) is about it alone, and its
 * line numbers are one more than the expression's own.
 */
export function checkProgram(expression: string): string {
  return `${SANDBOX_PRELUDE} empty |\n${expression}\n`
}
