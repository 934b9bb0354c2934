import { join } from 'path'

/**
 * Run after every test file (setupFilesAfterEnv in jest.config.js): closes the jq engine that the file's own
 * module registry started, if it started one. Each jest worker process runs test files one after another, each
 * with fresh modules, so without this every file that used the engine and did not close it left
 * its idle worker threads behind (a spare, up to four programs, the compile checker: each a thread, a JavaScript
 * heap and a WebAssembly memory) until the process ended, and the process ended with dozens of them alive.
 * The engine is looked up rather than imported, so that a file that never used it does not load it here.
 */
const ENGINE = join(__dirname, '..', 'src', 'endpointModel', 'jq', 'engine.ts')

afterAll(() => {
  const engine = require.cache[ENGINE]?.exports as typeof import('../src/endpointModel/jq/engine') | undefined
  engine?.closeJqEngine()
})
