import { readFile } from 'fs/promises'
import { dirname, join } from 'path'
import { compileFunction } from 'vm'

/**
 * jq-web 0.6.2, jq 1.7 compiled to WebAssembly with Emscripten, as its two halves: the JavaScript that Emscripten
 * generated (jq.js) and the compiled jq.wasm. jq.js's own export is one ready instance whose `raw()` runs jq's
 * main() once per call; the engine needs its Emscripten factory instead, to start instances with its own stdin,
 * stdout, environment and memory hooks (see jqInstance). The factory is the value jq.js first assigns to
 * `module.exports`, before it replaces it with that instance: running jq.js's text with a `module` whose
 * `exports` setter keeps the first value and then throws stops it there, so no instance is started for nothing.
 * This depends on jq.js's layout; test/endpointModel/jqWebInternals.test.ts fails loudly if an upgrade changes it.
 */

/** Emscripten's factory: one call, one jq instance (its own WebAssembly memory). */
export type JqFactory = (moduleArg: Record<string, unknown>) => Promise<EmscriptenJq>

/** What the engine uses of an Emscripten instance: jq's main(), called with jq's command-line arguments. */
export interface EmscriptenJq {
  callMain(args: string[]): number
}

/** jq-web loaded once per process: jq.js's text (each worker makes its own factory from it) and jq.wasm compiled. */
export interface LoadedJq {
  /** jq.js's path, which its code reads as __filename. */
  file: string
  source: string
  wasm: WebAssembly.Module
}

let loaded: Promise<LoadedJq> | undefined

async function load(): Promise<LoadedJq> {
  const file = require.resolve('jq-web')
  const [source, binary] = await Promise.all([readFile(file, 'utf8'), readFile(join(dirname(file), 'jq.wasm'))])
  return { file, source, wasm: await WebAssembly.compile(binary) }
}

/** jq-web's JavaScript and compiled WebAssembly, read and compiled once (off the main thread, by V8). */
export function loadJq(): Promise<LoadedJq> {
  if (!loaded) {
    loaded = load()
    loaded.catch(() => (loaded = undefined))
  }
  return loaded
}

class FactoryCaptured {}

/** Emscripten's factory from jq.js's text (see the top of this file). */
export function jqFactory(jq: Pick<LoadedJq, 'file' | 'source'>): JqFactory {
  let factory: unknown
  const stop = new FactoryCaptured()
  const fakeModule = {
    get exports(): unknown {
      return {}
    },
    set exports(value: unknown) {
      factory = value
      throw stop
    }
  }
  try {
    // As Node's own loader wraps a CommonJS file, with our `module`.
    const run = compileFunction(jq.source, ['exports', 'require', 'module', '__filename', '__dirname'], {
      filename: jq.file
    })
    run({}, require, fakeModule, jq.file, dirname(jq.file))
  } catch (error) {
    if (error !== stop) throw error
  }
  if (typeof factory !== 'function') throw new Error(`jq-web's ${jq.file} no longer hands out its Emscripten factory`)
  return factory as JqFactory
}

// The old path: jq-web's raw(), one main() per call, on the main thread.

/** jq-web's API: jq's main() run once, `echo <input> | jq <flags> <filter>`; a failure has `exitCode` and `stderr`. */
interface JqWeb {
  raw(input: string, filter: string, flags?: string[]): string | undefined
}

// jq-web ships no types; its CommonJS export is a promise of the loaded WebAssembly module.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const jqWeb = () => require('jq-web') as Promise<JqWeb>

/**
 * The one place that runs jq: jq-web, jq itself compiled to WebAssembly. Each call runs jq's main() once, which
 * compiles the program (and jq's builtins) once and then applies it to every JSON value of its input in turn:
 * to compile once and run many times, callers hand it all their events in one call.
 */

let rawLoaded: Promise<JqWeb> | undefined

/** jq-web's own instance, for the old path (until the engine takes over). */
function loadRawJq(): Promise<JqWeb> {
  if (!rawLoaded) rawLoaded = jqWeb()
  return rawLoaded
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
  const jq = await loadRawJq()
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
  const jq = await loadRawJq()
  const out = jq.raw(inputs.join('\n'), program, ['-c', '-M'])
  return out === undefined || out === '' ? [] : out.split('\n')
}
