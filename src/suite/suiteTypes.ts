/**
 * A test suite: sample events and, beside each sample file, its expected file (`<name>.expected.json`) saying
 * what each of its events must become on both sides. See docs/test.md for the format and why it is so.
 */

/** What the Segment side must do with an event: send it, not take it (no subscription), or refuse it by rules. */
export type SegmentExpectation = 'sent' | 'not subscribed' | { refused: string[] }

/** What Movable Ink's event mappings must make of an event that is sent. */
export interface MovableInkExpectation {
  /** The mapping that takes it, or null for none. */
  mapping: string | null
  /** Why Movable Ink would refuse it: `unmapped`, or `<problem kind>: <field>`; left out, it must not be refused. */
  refused?: string[]
  /** Expected values of the mapping's schema fields (null for no value); a field left out is not checked. */
  fields?: Record<string, unknown>
}

/** One event's expectation: what it says is checked, what it leaves out is not. */
export interface Expectation {
  line?: number
  event?: string
  segment?: SegmentExpectation
  movableInk?: MovableInkExpectation
}

/** A suite that cannot run as given (no samples, an expected file that is not the format): exit 2. */
export class SuiteError extends Error {
  readonly name = 'SuiteError'
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]
        : `The suite has ${problems.length} problems:\n${problems.map((p) => `  ${p}`).join('\n')}`
    )
  }
}
