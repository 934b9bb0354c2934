import { join, resolve } from 'path'
import type { JqLimits } from '../endpointModel'
import type { GivenSettings } from '../runtime/settings'
import type { SubscriptionSpec } from '../runtime/subscriptions'
import { EndpointPlace } from './endpointSave'
import { EvaluationCache } from './evaluationCache'
import { StudioSuite, suiteOff } from './expectations'
import { ExpectedAction } from './expectedAction'
import { SegmentSides } from './segmentSides'
import { StudioChecks } from './studioChecks'
import { StudioEvents } from './studioEvents'
import { StudioMappings } from './studioMappings'
import { TestSendAction } from './testSendAction'

/**
 * What the studio holds between requests, one part per job: the events (studioEvents.ts), the event mappings'
 * file (studioMappings.ts), each event's Segment side (segmentSides.ts) and the Movable Ink side of the last
 * check (evaluationCache.ts), the check and detail (studioChecks.ts), and the actions: save as expected
 * (expectedAction.ts) and the test send (testSendAction.ts). The event mappings being edited live on the page,
 * which sends them with each check, so an edit costs no save.
 */

export interface WorkbenchOptions {
  endpointFile: string
  /** Where "Save" writes unless the page names a file (inside workDir): by default the endpoint file itself. */
  saveFile?: string
  subscriptions: SubscriptionSpec[]
  /** For sending to a real endpoint; never shown on the page. */
  settings: GivenSettings
  /** jq's deadline (and memory cap) for the mappings as edited. */
  jqLimits?: JqLimits
  /** Where a suite file for pasted events may go, besides the folders events were loaded from (default: cwd). */
  workDir?: string
}

/** Where pasted events are saved as expected unless the page names another file: in the working folder. */
export const PASTED_SUITE_FILE = join('movable-ink-suite', 'pasted.jsonl')

export class Workbench {
  /** The sample files events were loaded from, and their expected files. */
  readonly suite: StudioSuite
  readonly events: StudioEvents
  readonly mappings: StudioMappings
  readonly evaluations: EvaluationCache
  readonly checks: StudioChecks
  readonly expected: ExpectedAction
  readonly testSend: TestSendAction
  /** Where a suite file for pasted events may go, and where the page's relative paths start. */
  readonly workDir: string
  /** The endpoint file the studio was started with. */
  readonly endpointFile: string
  private readonly sides: SegmentSides

  constructor(options: WorkbenchOptions) {
    this.workDir = resolve(options.workDir ?? '.')
    this.endpointFile = options.endpointFile
    this.suite = new StudioSuite(suiteOff(options.subscriptions))
    this.events = new StudioEvents(this.suite)
    const saveFile = resolve(options.saveFile ?? options.endpointFile)
    const place = new EndpointPlace(resolve(options.endpointFile), saveFile, this.workDir, () =>
      this.events.loadedFiles()
    )
    this.mappings = new StudioMappings(place, options.jqLimits)
    this.sides = new SegmentSides(options.subscriptions)
    this.evaluations = new EvaluationCache(this.events, this.mappings, this.sides)
    this.checks = new StudioChecks(this.events, this.evaluations, this.suite)
    this.expected = new ExpectedAction(this.events, this.evaluations, this.checks, this.suite, this.workDir)
    this.testSend = new TestSendAction(this.events, this.mappings, options.subscriptions, options.settings)
  }

  /** The suite file the page offers for pasted events. */
  get pastedSuiteFile(): string {
    return join(this.workDir, PASTED_SUITE_FILE)
  }

  async close(): Promise<void> {
    await this.sides.close()
  }
}
