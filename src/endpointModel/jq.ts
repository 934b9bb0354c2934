/** jq-web's API: jq's main() run once, `echo <input> | jq <flags> <filter>`; a failure has `exitCode` and `stderr`. */
interface JqWeb {
  raw(input: string, filter: string, flags?: string[]): string | undefined
}

// jq-web ships no types; its CommonJS export is a promise of the loaded WebAssembly module.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const jqWeb = require('jq-web') as Promise<JqWeb>

/**
 * The one place that runs jq: jq-web, jq itself compiled to WebAssembly. Each call runs jq's main() once, which
 * compiles the program (and jq's builtins) once and then applies it to every JSON value of its input in turn:
 * to compile once and run many times, callers hand it all their events in one call.
 */

let loaded: Promise<JqWeb> | undefined

export function loadJq(): Promise<JqWeb> {
  if (!loaded) loaded = jqWeb
  return loaded
}

/** jq's exit status for a program that does not compile. */
const COMPILE_ERROR_EXIT = 3

interface JqFailure {
  exitCode?: number
  stderr?: string
  message?: string
}

/** jq's own words for a failure, without the wrapper's "Non-zero exit code" line. */
export function jqMessage(error: unknown): string {
  const failure = error as JqFailure
  const text = (failure.stderr ?? failure.message ?? String(error)).trim()
  return text.replace(/^Non-zero exit code: \d+\n?/, '')
}

/**
 * Builtins a mapping must not use, shadowed by definitions that fail: `input`/`inputs` would read the next
 * event of the stream, `halt`/`halt_error` would stop the whole run, and `debug`/`stderr` would print.
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
  'def input_filename: null;'
].join(' ')

/**
 * Compiles `expression` without running it, and returns jq's compile error, or undefined when it compiles.
 * `empty |` in front means the expression never runs; with the expression last, on its own line, jq's message
 * (an "unexpected end of file" for one cut short) is about the expression alone, and its line number is put
 * back to the expression's own. jq's "(Unix shell quoting issues?)" hint is dropped: there is no shell here.
 */
export async function jqCompileError(expression: string): Promise<string | undefined> {
  const jq = await loadJq()
  try {
    jq.raw('null', `${SANDBOX_PRELUDE} empty |\n${expression}\n`, ['-n'])
    return undefined
  } catch (error) {
    if ((error as JqFailure).exitCode !== COMPILE_ERROR_EXIT) return undefined
    return jqMessage(error)
      .replace(/ at <top-level>, line (\d+):/g, (_all, line: string) => ` at <top-level>, line ${Number(line) - 1}:`)
      .replace(/ \(Unix shell quoting issues\?\)/g, '')
      .replace(/[ \t]+$/gm, '')
      .replace(/\n\s*jq: \d+ compile errors?$/, '')
  }
}

/** Runs `program` over each of `inputs` (JSON texts) in one jq run: one compact JSON output line per result. */
export async function runJq(program: string, inputs: string[]): Promise<string[]> {
  const jq = await loadJq()
  const out = jq.raw(inputs.join('\n'), program, ['-c', '-M'])
  return out === undefined || out === '' ? [] : out.split('\n')
}
