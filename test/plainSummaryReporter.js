/**
 * Ends the run with one plain line, "Tests: N passed, N failed, N skipped", which CI tools that do not know
 * jest's own summary can read.
 */
class PlainSummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites
    process.stdout.write(`Tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`)
  }
}

module.exports = PlainSummaryReporter
