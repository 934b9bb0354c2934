import type { MalformedItem } from '../events/items'
import type { Failure } from '../runtime/outcome'
import type { SendSummary } from './summary'
import type { Unit } from './unit'

/** How far a run is, for a progress bar. */
export interface SendProgress {
  totalBytes: number
  bytesRead(): number
  summary: SendSummary
}

/**
 * What `send` tells while it runs, as it happens: every final outcome, and notes for people (where it sends,
 * the journal, an interruption, the summary). The command decides where it goes (textReport.ts, a progress
 * bar, nowhere); the engine never prints.
 */
export interface SendObserver {
  /** Once, when the inputs are open and the first event is about to be read. */
  started?(progress: SendProgress): void
  note(text: string): void
  delivered(unit: Unit, status: number): void
  notSubscribed(unit: Unit): void
  failed(unit: Unit, failure: Pick<Failure, 'status' | 'message'>): void
  malformed(item: MalformedItem): void
}
