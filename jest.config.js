const { availableParallelism } = require('os')

/** @type {import('jest').Config} */
module.exports = {
  // jest's default is one worker fewer than the cores: on a 2-core machine, one, so every file ran after the
  // other in jest's own process, on one core, though most end-to-end files spend their time waiting for the
  // command they started. Two files at a time keep both cores busy (docs/contributing.md has the figures).
  maxWorkers: Math.max(2, availableParallelism() - 1),
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  // As in Segment's monorepo (jest's default testMatch there): every file under __tests__/ is a test file,
  // except the helpers in __tests__/__helpers__/. This project's own tests are the *.test.ts files in test/.
  testMatch: ['<rootDir>/src/**/__tests__/**/*.[jt]s', '<rootDir>/test/**/*.test.[jt]s'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/__tests__/__helpers__/'],
  // Type checking is done once by `tsc --noEmit` in `npm test`; ts-jest only transpiles (isolatedModules in
  // tsconfig.json), which keeps the suite fast.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Snapshots are written in jest 27's format (its defaults), the jest of Segment's monorepo, so that the
  // folder's .snap files pass there unchanged; jest 29 reads and writes that format too.
  snapshotFormat: { escapeString: true, printBasicPrototype: true },
  // Each test file closes the jq engine it started, so that no file's worker threads outlive it.
  setupFilesAfterEnv: ['<rootDir>/test/closeJqEngine.ts'],
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/plainSummaryReporter.js']
}
