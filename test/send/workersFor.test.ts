import { availableParallelism } from 'os'
import { workersFor } from '../../src/send/deliveryThreads'
import type { CheckedInputs } from '../../src/send/inputs'

/** Without --workers, send starts delivery threads only for input large enough to pay for their start. */

const MB = 1024 * 1024
const threads = availableParallelism() >= 2 ? 2 : 0

function inputs(files: string[], totalBytes: number): CheckedInputs {
  return { files, totalBytes, fingerprints: [], skipped: [] }
}

describe("send's delivery threads by default", () => {
  it('delivers input under 4 MB in the main thread', () => {
    expect(workersFor(undefined, inputs(['a.jsonl', 'b.json'], 4 * MB - 1))).toBe(0)
  })

  it('starts the threads for 4 MB or more, for stdin and for gzip files, whose size says little', () => {
    expect(workersFor(undefined, inputs(['a.jsonl'], 4 * MB))).toBe(threads)
    expect(workersFor(undefined, inputs(['-'], 0))).toBe(threads)
    expect(workersFor(undefined, inputs(['small.jsonl', 'day/events.json.GZ'], 1000))).toBe(threads)
  })

  it('does as --workers says, whatever the size', () => {
    expect(workersFor(2, inputs(['a.jsonl'], 10))).toBe(2)
    expect(workersFor(0, inputs(['a.jsonl'], 100 * MB))).toBe(0)
  })
})
