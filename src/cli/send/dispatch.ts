import { readEvents } from '../readEvents'
import type { InputFormat, InputItem, ReadProgress } from '../readEvents'
import { UsageError } from '../settings'
import type { Deliverer } from '../workerDelivery'
import type { AgeWindow } from './ageWindow'
import type { DoneSet } from './journalReader'
import type { OutcomeRecorder } from './outcomes'
import type { Reporter } from './report'
import { deliverBatchWithRetries, deliverWithRetries } from './retryPolicy'
import type { RetryHooks, RetryPolicy } from './retryPolicy'
import type { Slots } from './slots'
import type { Tally } from './summary'
import type { Position, Unit } from './unit'

/** Set by Ctrl-C, a journal that cannot be written, or inputs that turn out not to be the journal's. */
export interface Stop {
  requested: boolean
  error?: Error
}

export interface DispatchRun {
  files: string[]
  format: InputFormat
  batch?: number
  deliverer: Deliverer
  /** The subscription's trigger, with the runtime's own matcher. */
  matches: (event: Record<string, unknown>) => boolean
  policy: RetryPolicy
  window: AgeWindow
  /** On --resume: the events whose outcome is already final. */
  done?: DoneSet
  recorder: OutcomeRecorder
  slots: Slots
  tally: Tally
  report: Reporter
  stop: Stop
  progress: ReadProgress
  /** Called when an input has been read to its end. */
  inputDone: (file: string) => void
  /** Checked for every item: an error stops the run (the journal could not be written). */
  failure: () => Error | undefined
}

/** On --resume: whether the journal already holds this item's outcome (and stops the run if it holds another). */
function alreadyDone(run: DispatchRun, position: Position, item: InputItem): boolean {
  const messageId = item.kind === 'event' ? item.event.messageId : undefined
  const state = run.done?.check(position.input, position.item, messageId) ?? 'new'
  if (state === 'new') return false
  if (state === 'changed') {
    run.stop.requested = true
    run.stop.error = new UsageError(
      `${position.source} line ${position.line} holds another event (messageId ${JSON.stringify(
        messageId
      )}) than the journal recorded there: the input changed since. Nothing after it was sent.`
    )
    return true
  }
  run.tally.summary.alreadyDone++
  return true
}

/**
 * Reading and dispatch: reads the inputs item by item and gives each one a slot until its outcome is final
 * and recorded: malformed, too old, not subscribed, or delivered (with retries) alone or in a batch. Returns
 * the place of the last item read.
 */
export async function readAndDispatch(run: DispatchRun): Promise<string> {
  const { recorder, slots, stop } = run
  const hooks: RetryHooks = { stopping: () => stop.requested, retrying: (unit, f) => recorder.retrying(unit, f) }
  const dispatch = async (work: () => Promise<void>) => {
    await slots.acquire()
    work()
      .catch((error: Error) => run.report.line(`Internal error: ${error.message}`))
      .finally(() => slots.release())
  }
  const deliverOne = (unit: Unit) =>
    dispatch(async () =>
      recorder.settle(unit, await deliverWithRetries(unit, (e) => run.deliverer.sendOne(e), run.policy, hooks))
    )
  const deliverBatch = (units: Unit[]) =>
    dispatch(() =>
      deliverBatchWithRetries(
        units,
        (events) => run.deliverer.sendMany(events),
        run.policy,
        hooks,
        (unit, o) => recorder.settle(unit, o)
      )
    )

  let group: Unit[] = []
  let lastRead = ''
  for (let input = 0; input < run.files.length && !stop.requested; input++) {
    const file = run.files[input]
    run.progress.bytesRead = 0
    let ordinal = 0
    for await (const item of readEvents(file, run.format, run.progress)) {
      const failure = run.failure()
      if (failure && !stop.error) Object.assign(stop, { requested: true, error: failure })
      if (stop.requested) break
      const position: Position = { input, item: ordinal++, source: item.source, line: item.line }
      run.tally.summary.read++
      lastRead = `${item.source} line ${item.line}`
      if (run.done && alreadyDone(run, position, item)) continue
      if (item.kind === 'malformed') {
        await dispatch(() => recorder.malformed(position, item))
        continue
      }
      const unit: Unit = {
        ...position,
        event: item.event,
        started: performance.now(),
        attempts: 0,
        unknownOutcome: false
      }
      const tooOld = run.window.tooOld(item.event)
      if (tooOld !== undefined) {
        await dispatch(() => (run.matches(item.event) ? recorder.tooOld(unit, tooOld) : recorder.notSubscribed(unit)))
        continue
      }
      // One event per request: the runtime itself tells when the event does not match the subscription.
      if (!run.batch) {
        await deliverOne(unit)
        continue
      }
      // In a batch the runtime reports a non-matching event as a 400, like an invalid one: tell them apart
      // first, with the runtime's own matcher.
      if (!run.matches(item.event)) {
        await dispatch(() => recorder.notSubscribed(unit))
        continue
      }
      group.push(unit)
      if (group.length >= run.batch) {
        const full = group
        group = []
        await deliverBatch(full)
      }
    }
    if (!stop.requested) run.inputDone(file)
  }
  // Not after a journal failure: what is sent from then on would not be journaled.
  if (group.length > 0 && !stop.error) await deliverBatch(group)
  await slots.drain()
  return lastRead
}
