// A worker thread started from the TypeScript sources (src/io/workerThread.ts, under jest or ts-node) loads this
// first: it compiles each .ts module the worker requires with TypeScript's transpileModule (types stripped, as
// ts-node --transpile-only does, with tsconfig.json's options) and keeps the output in
// node_modules/.cache/movable-ink-worker-ts, keyed by the source, its path, tsconfig.json and TypeScript's
// version. Loading TypeScript costs a worker about a second of CPU; the test suite starts hundreds of workers,
// and from the cache all but the first of each module load no compiler at all.
'use strict'
const { createHash } = require('crypto')
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('fs')
const { join } = require('path')

const ROOT = join(__dirname, '..')
const CACHE = join(ROOT, 'node_modules', '.cache', 'movable-ink-worker-ts')
const TSCONFIG = join(ROOT, 'tsconfig.json')
const TYPESCRIPT_VERSION = require('typescript/package.json').version
const SETTINGS = `${TYPESCRIPT_VERSION}\0${readFileSync(TSCONFIG, 'utf8')}`

let compiler

/** TypeScript and tsconfig.json's options, loaded only when a module is not in the cache. */
function loadCompiler() {
  const ts = require('typescript')
  const { config } = ts.readConfigFile(TSCONFIG, ts.sys.readFile)
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, ROOT)
  // Inline source maps, so that a stack trace under --enable-source-maps names the .ts lines.
  const compilerOptions = { ...options, declaration: false, sourceMap: false, inlineSourceMap: true }
  return (source, fileName) => ts.transpileModule(source, { fileName, compilerOptions }).outputText
}

function compiled(source, fileName) {
  const key = createHash('sha1').update(SETTINGS).update('\0').update(fileName).update('\0').update(source)
  const file = join(CACHE, `${key.digest('hex')}.js`)
  try {
    return readFileSync(file, 'utf8')
  } catch {
    compiler ??= loadCompiler()
    const output = compiler(source, fileName)
    // Written aside and renamed: several workers (and test processes) may compile the same module at once.
    const aside = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`
    try {
      mkdirSync(CACHE, { recursive: true })
      writeFileSync(aside, output)
      renameSync(aside, file)
    } catch {
      // A cache that cannot be written only costs the next worker the compile.
    }
    return output
  }
}

require.extensions['.ts'] = (module, fileName) => {
  module._compile(compiled(readFileSync(fileName, 'utf8'), fileName), fileName)
}
