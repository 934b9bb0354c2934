import { readFile } from 'fs/promises'
import { dirname, join } from 'path'
import { compileFunction } from 'vm'

/**
 * jq-web 0.6.2, jq 1.7 compiled to WebAssembly with Emscripten, as its two halves: the JavaScript that Emscripten
 * generated (jq.js) and the compiled jq.wasm. jq.js's own export is one ready instance whose `raw()` runs jq's
 * main() once per call; the engine needs its Emscripten factory instead, to start instances with its own stdin,
 * stdout, environment and memory hooks (see thread/instance.ts). The factory is the value jq.js first assigns to
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
