import type { CompiledEndpoint } from '../endpointModel'
import { malformed, toItem } from '../events/items'
import type { InputItem } from '../events/items'
import { createPreviewer } from '../preview/previewer'
import type { Previewer } from '../preview/previewer'
import type { SubscriptionSpec } from '../runtime/subscriptions'
import { CoverageTally } from './coverageTally'
import type { TallyData } from './coverageTally'

/**
 * One thread's share of a coverage run: a previewer in its batch mode (both sides of each event, as preview
 * says them, without a request per event) and the tally of what it found. A worker thread holds one
 * (coverageWorker.ts); with no workers, the main thread does.
 */

/** One event of the input as read: its JSON text, or why it is not one. */
export type Piece = { line: number; text: string } | { line: number; malformed: string }

export interface CoverageSetup {
  /** Checked once, by the thread that reads: plain data, handed to every worker as it is. */
  endpoint: CompiledEndpoint
  subscriptions: SubscriptionSpec[]
}

/** Events per onBatch call of the Segment side: the runtime's largest batch_size. */
const SEGMENT_BATCH = 1000

export class CoverageSession {
  private readonly tally = new CoverageTally()
  /** previewEvents takes one call at a time: pieces wait for the ones before them. */
  private queue: Promise<void> = Promise.resolve()

  private constructor(private readonly previewer: Previewer) {}

  static async open(setup: CoverageSetup): Promise<CoverageSession> {
    const previewer = await createPreviewer({
      settings: {},
      subscriptions: setup.subscriptions,
      endpoint: setup.endpoint,
      batch: SEGMENT_BATCH
    })
    return new CoverageSession(previewer)
  }

  private async run(file: number, pieces: Piece[]): Promise<void> {
    const inputs: InputItem[] = pieces.map((p) =>
      'text' in p ? toItem(p.text, '', p.line) : malformed('', p.line, '', p.malformed)
    )
    const items = await this.previewer.previewEvents(inputs)
    items.forEach((item, i) => this.tally.add(inputs[i], item, file))
  }

  /** Evaluates the pieces of one input file (file: its index), after those given before. */
  add(file: number, pieces: Piece[]): Promise<void> {
    const next = this.queue.then(() => this.run(file, pieces))
    this.queue = next.catch(() => undefined)
    return next
  }

  /** The tally so far, once every piece given has been evaluated. */
  async result(): Promise<TallyData> {
    await this.queue
    return this.tally.data
  }

  close(): Promise<void> {
    return this.previewer.close()
  }
}
