// `npm run test:quick`, the inner loop: every test of jest.config.js except those that start the compiled command
// (runCli, startReceive or CLI in test/cli/helpers.ts: its build, then a process per run), the studio's browser,
// and the package's install; test/quickLoop.test.ts keeps the first list true. The command tests that run main in
// jest's process (runMain) stay. `npm test` runs them all.
const base = require('./jest.config')

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: [
    ...base.testPathIgnorePatterns,
    '<rootDir>/test/cli/(hostileInputs|nesting|receive|runaway|send|sendResume|sendWorkers|signals|version)\\.test\\.ts$',
    '<rootDir>/test/package/',
    '<rootDir>/test/studio/(browser|cli)\\.test\\.ts$'
  ]
}
