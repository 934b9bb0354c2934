import { readEventBatches } from '../events/readEvents'
import type { InputFormat, ReadProgress } from '../events/readEvents'
import type { InputItem } from '../events/items'
import { OutputFileError } from '../io/outputFile'
import type { Deliverer } from '../runtime/destinationRunner'
import { lostOutcome } from '../runtime/outcome'
import type { Failure, Outcome } from '../runtime/outcome'
import { AgeWindow } from './ageWindow'
import { JournalError } from './journal'
import type { DoneSet } from './journalReader'
import type { OutcomeRecorder } from './outcomes'
import { deliverBatchWithRetries, deliverWithRetries } from './retryPolicy'
import type { RetryHooks, RetryPolicy } from './retryPolicy'
import type { SendObserver } from './sendObserver'
import type { Slots } from './slots'
import type { Tally } from './summary'
import type { Position, Unit } from './unit'

/**
 * Set by a signal, an output that cannot be written (`writeFailure`: the run stops as for a signal), or inputs
 * that turn out not to be the journal's (`error`: thrown at the end, a usage mistake).
 */
export interface Stop {
  requested: boolean
  error?: Error
  writeFailure?: Error
}

/** How events go out: through which deliverer, alone or in batches, with which retries and slots. */
export interface Delivery {
  deliverer: Deliverer
  batch?: number
  policy: RetryPolicy
  slots: Slots
}

/** What decides an event's fate before it is sent. */
export interface Rules {
  /** The subscription's trigger, with the runtime's own matcher. */
  matches: (event: Record<string, unknown>) => boolean
  window: AgeWindow
  /** On --resume: the events whose outcome is already final, and the journal that says so. */
  resumed?: { done: DoneSet; journal: string }
}

/** Where outcomes go, and what stops the run. */
export interface Bookkeeping {
  recorder: OutcomeRecorder
  tally: Tally
  report: SendObserver
  stop: Stop
  /** Checked for every item: an error stops the run (the journal could not be written). */
  failure: () => Error | undefined
  /** Called once when an output cannot be written: the run then stops as for a signal. */
  stopping?: (why: Error) => void
}

export interface Inputs {
  files: string[]
  format: InputFormat
  progress: ReadProgress
  /** Called when an input has been read to its end. */
  inputDone: (file: string) => void
  /** Stops the reading at once, even of a silent stdin. */
  signal?: AbortSignal
}

/**
 * Reading and dispatch: reads the inputs item by item and gives each one a slot until its outcome is final
 * and recorded: malformed, too old, not subscribed, or delivered (with retries) alone or in a batch.
 */
export class Dispatcher {
  private group: Unit[] = []
  /** The last item read, for the interruption note. */
  private last?: InputItem
  private readonly hooks: RetryHooks

  constructor(private readonly delivery: Delivery, private readonly rules: Rules, private readonly books: Bookkeeping) {
    this.hooks = { stopping: () => books.stop.requested, retrying: (unit, f) => books.recorder.retrying(unit, f) }
  }

  /** The place of the last item read, for the interruption note ('' before the first). */
  get lastRead(): string {
    return this.last ? `${this.last.source} line ${this.last.line}` : ''
  }

  async run(inputs: Inputs): Promise<void> {
    const { stop } = this.books
    for (let input = 0; input < inputs.files.length && !stop.requested; input++) {
      const file = inputs.files[input]
      inputs.progress.bytesRead = 0
      await this.readInput(input, inputs)
      if (!stop.requested) inputs.inputDone(file)
    }
    // Not after a journal failure or a changed input: what is sent from then on would not be journaled.
    if (this.group.length > 0 && !stop.error && !stop.writeFailure) await this.deliverBatch(this.group)
    await this.delivery.slots.drain()
  }

  /**
   * One input, a batch of items at a time (a chunk's lines): an item waits only when it needs a slot and none
   * is free, so a backfill of millions of events pays no promise per event on the way in. A stop (or the
   * signal) takes effect at the next item.
   */
  private async readInput(input: number, inputs: Inputs): Promise<void> {
    const { stop } = this.books
    const { signal } = inputs
    let ordinal = 0
    for await (const items of readEventBatches(inputs.files[input], inputs.format, inputs.progress, { signal })) {
      for (const item of items) {
        const failure = this.books.failure()
        if (failure) this.stopForWrite(failure)
        if (stop.requested || signal?.aborted) return
        const waiting = this.take(input, ordinal++, item)
        if (waiting) await waiting
      }
    }
  }

  /** An output cannot be written: stop reading, as for a signal; the events in flight finish. */
  private stopForWrite(error: Error): void {
    const { stop } = this.books
    if (stop.writeFailure) return
    stop.requested = true
    stop.writeFailure = error
    this.books.stopping?.(error)
  }

  /** Gives the item its way; a promise only when the reader must wait for a slot before it reads on. */
  private take(input: number, ordinal: number, item: InputItem): Promise<void> | undefined {
    const { recorder, tally } = this.books
    tally.summary.read++
    this.last = item
    const { source, line } = item
    if (item.kind === 'malformed') {
      const position: Position = { input, item: ordinal, source, line }
      if (this.rules.resumed && this.alreadyDone(position, item)) return undefined
      return this.dispatch(() => recorder.malformed(position, item))
    }
    const { event } = item
    const unit: Unit = {
      input,
      item: ordinal,
      source,
      line,
      event,
      started: performance.now(),
      attempts: 0,
      unknownOutcome: false
    }
    if (this.rules.resumed && this.alreadyDone(unit, item)) return undefined
    const tooOld = this.rules.window.tooOld(event)
    if (tooOld !== undefined)
      return this.dispatch(() =>
        this.rules.matches(event) ? recorder.tooOld(unit, tooOld, AgeWindow.dayOf(event)) : recorder.notSubscribed(unit)
      )
    if (!this.delivery.batch) return this.deliverOne(unit)
    // Only subscribed events take a place in a batch.
    if (!this.rules.matches(event)) return this.dispatch(() => recorder.notSubscribed(unit))
    this.group.push(unit)
    if (this.group.length < this.delivery.batch) return undefined
    const full = this.group
    this.group = []
    return this.deliverBatch(full)
  }

  /** On --resume: whether the journal already holds this item's outcome (and stops the run if it holds another). */
  private alreadyDone(position: Position, item: InputItem): boolean {
    const messageId = item.kind === 'event' ? item.event.messageId : undefined
    const state = this.rules.resumed?.done.check(position.input, position.item, messageId) ?? 'new'
    if (state === 'new') return false
    if (state === 'changed') {
      const stop = this.books.stop
      stop.requested = true
      const id = JSON.stringify(messageId)
      stop.error = new JournalError(
        `${position.source} line ${position.line} holds another event (messageId ${id}) than the journal recorded there: the input changed since. Nothing after it was sent.`,
        this.rules.resumed?.journal ?? ''
      )
      return true
    }
    this.books.tally.summary.alreadyDone++
    return true
  }

  /**
   * Runs one item's work in a slot, started at once when one is free (then nothing is returned to wait for).
   * Recording an outcome fails only when an output cannot be written (the outcome is then in no file, so a
   * resume handles the item again): the run stops, as for a signal.
   */
  private dispatch(work: () => Promise<void>): Promise<void> | undefined {
    const { slots } = this.delivery
    if (slots.tryAcquire()) return this.start(work)
    return slots.acquire().then(() => this.start(work))
  }

  private start(work: () => Promise<void>): undefined {
    const { slots } = this.delivery
    work()
      .catch((error: Error) => this.stopForWrite(error))
      .finally(() => slots.release())
    return undefined
  }

  private deliverOne(unit: Unit): Promise<void> | undefined {
    const { deliverer, policy } = this.delivery
    return this.dispatch(async () => {
      let outcome: Outcome
      try {
        outcome = await deliverWithRetries(unit, (e) => deliverer.sendOne(e), policy, this.hooks)
      } catch (error) {
        outcome = unprocessable(error)
      }
      await this.books.recorder.settle(unit, outcome)
    })
  }

  private deliverBatch(units: Unit[]): Promise<void> | undefined {
    const { deliverer, policy } = this.delivery
    const settled = new Set<Unit>()
    const settle = (unit: Unit, outcome: Outcome) => {
      settled.add(unit)
      return this.books.recorder.settle(unit, outcome)
    }
    return this.dispatch(async () => {
      try {
        await deliverBatchWithRetries(units, (events) => deliverer.sendMany(events), policy, this.hooks, settle)
      } catch (error) {
        // Only an exception of the work itself lands here (a failed write stops the run, below): each event
        // of the batch that has no outcome yet gets it as its failure.
        if (error instanceof OutputFileError) throw error
        const failure = unprocessable(error)
        await Promise.all(units.filter((unit) => !settled.has(unit)).map((unit) => settle(unit, failure)))
      }
    })
  }
}

/**
 * An exception thrown while one event (or batch) was being delivered: that event's failure, written to the
 * failed-events file and journaled like any other, never an error of the whole run. Whether it was sent is
 * not known, and it is not retried.
 */
export function unprocessable(error: unknown): Failure {
  const message = (error as Error)?.message ?? String(error)
  return lostOutcome('INTERNAL_ERROR', `The event could not be processed: ${message}.`, 'unknown')
}
