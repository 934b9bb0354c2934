// `npm run test:quick`, the inner loop: every test of jest.config.js except those that run the compiled command
// or a browser (the end-to-end set: test/cli/, the package's install, the studio's compiled command, browser
// and expected-file API through `movable-ink test`). `npm test` runs them all.
const base = require('./jest.config')

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: [
    ...base.testPathIgnorePatterns,
    '<rootDir>/test/cli/',
    '<rootDir>/test/package/',
    '<rootDir>/test/studio/(browser|cli|expectedApi)\\.test\\.ts$'
  ]
}
