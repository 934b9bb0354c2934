/**
 * Test suites for both sides of a delivery (`movable-ink test`), and coverage of real traffic (`--coverage`).
 * The studio's way in: load a suite, check one previewed event against its expectation, write expectations.
 */
export {
  loadSuite,
  runSuite,
  checkEvent,
  updatedEntry,
  updatedEntries,
  writeExpectations,
  writeExpectedFiles
} from './runSuite'
export type { Suite, SuiteSample, SuiteRun, SampleRun, EventResult, SampleUpdate, ExpectedFileUpdate } from './runSuite'
export { observe, expectationOf } from './observed'
export type { Observed } from './observed'
export { compareEvent } from './compare'
export type { Difference } from './compare'
export {
  findSamples,
  expectedPathOf,
  expectedFileText,
  readExpectedFile,
  isExpected,
  EXPECTED_SUFFIX,
  SAMPLE_EXTENSIONS
} from './suiteFiles'
export type { SampleFile } from './suiteFiles'
export { SuiteError } from './suiteTypes'
export type { Expectation, MovableInkExpectation, SegmentExpectation } from './suiteTypes'
export { suiteLines, closingLine, updateLines, differenceText, leftoverName } from './suiteText'
export { junitXml } from './junit'
export { runCoverage, COVERAGE_BATCH } from './coverageRun'
export type { CoverageOptions, CoverageProgress } from './coverageRun'
export type { CoverageReport } from './coverageReport'
export { coverageLines } from './coverageText'
export { coverageHtml } from './coverageHtml'
