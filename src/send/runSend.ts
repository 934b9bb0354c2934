import { existsSync, statSync } from 'fs'
import { dirname, join } from 'path'
import type { Settings } from '../destinations/movable-ink/generated-types'
import type { InputFormat, ReadProgress } from '../events/readEvents'
import { skippedCounts, skippedLines } from '../events/skippedInputs'
import { fileStamp, runStamp } from '../io/fileStamp'
import { checkOutputFile, OutputFileError, writeFailure } from '../io/outputFile'
import { checkOutputsApart } from '../io/outputsApart'
import { writeFileSafely } from '../io/safeWrite'
import { DestinationRunner } from '../runtime/destinationRunner'
import type { Deliverer } from '../runtime/destinationRunner'
import type { Redactor } from '../runtime/redactor'
import { matcherFor } from '../runtime/subscriptions'
import type { SubscriptionSpec } from '../runtime/subscriptions'
import { ThreadedDeliverer } from '../runtime/threadedDeliverer'
import { AgeWindow, DEFAULT_MAX_AGE_DAYS } from './ageWindow'
import { workersFor } from './deliveryThreads'
import { Dispatcher } from './dispatch'
import type { Stop } from './dispatch'
import { FailedFile } from './failedFile'
import { inputsDiffer } from './inputs'
import type { CheckedInputs, InputFingerprint } from './inputs'
import { JOURNAL_FORMAT, JOURNAL_VERSION, JournalError, JournalWriter } from './journal'
import { readJournal } from './journalReader'
import type { JournalState } from './journalReader'
import { OutcomeRecorder } from './outcomes'
import type { RetryPolicy } from './retryPolicy'
import type { SendObserver } from './sendObserver'
import { Slots } from './slots'
import { summaryLines, Tally } from './summary'
import type { SendSummary } from './summary'

/**
 * `send`, the engine: reads every input, delivers through the runtime (in this thread or in worker threads),
 * retries, journals, writes the failed events, and returns the summary. It prints nothing (the observer
 * gets every outcome and note) and handles no signal: aborting `signal` stops it cleanly.
 */

export interface SendOptions extends RetryPolicy {
  files: string[]
  format?: InputFormat
  subscription: SubscriptionSpec
  batch?: number
  /** Events (or batches) in flight at once, across the workers. */
  concurrency: number
  /** Worker threads that run the deliveries, 0 for this thread; none: by the inputs' size (workersFor). */
  workers?: number
  timeoutMs?: number
  /** The failed-events file; default movable-ink-failed-<time>.jsonl in the working directory. */
  failed?: string
  /** Adds to an existing failed-events file, which is otherwise refused. */
  append?: boolean
  /** The delivery journal: a path, true for one next to the failed-events file, false or omitted for none. */
  journal?: string | boolean
  /** A journal to resume: its finished events are skipped, the others sent, and it is appended to. */
  resume?: string
  /** Events whose timestamp is older are not sent (default 30); 0 sends every age. */
  maxAgeDays?: number
  summaryJson?: string
  /** Stops the run: the events in flight finish, nothing more is read. */
  signal?: AbortSignal
}

export interface SendResult {
  summary: SendSummary
  /** The closing lines for people. */
  lines: string[]
  /**
   * Set when the run was interrupted (a signal, or an output that could not be written): what to tell, with
   * the command that resumes it.
   */
  interruption?: string
  /** Set when the summary could not be written to --summary-json: what to tell. */
  writeFailure?: string
}

/** The journal to resume, checked against the inputs given now. */
async function journalToResume(options: SendOptions, inputs: InputFingerprint[]): Promise<JournalState | undefined> {
  const path = options.resume
  if (!path) return undefined
  if (options.journal === false)
    throw new JournalError('--resume appends to the journal it resumes: drop --no-journal.', path)
  if (typeof options.journal === 'string' && options.journal !== path)
    throw new JournalError(`--resume ${path} goes on writing that journal: drop --journal ${options.journal}.`, path)
  const state = await readJournal(path)
  const why = inputsDiffer(state.header.inputs, inputs)
  if (why) {
    throw new JournalError(
      `The journal ${path} belongs to other inputs: ${why}. Resume with the input files of that run, in the same order, or send without --resume.`,
      path
    )
  }
  return state
}

/** Opens the journal: the resumed one, or a new one at `path` (none without a path). */
function openJournal(
  resumed: JournalState | undefined,
  inputs: InputFingerprint[],
  failedPath: string,
  path: string | undefined
) {
  if (resumed)
    return JournalWriter.reopen(resumed.path, { resumedAt: new Date().toISOString(), failedFile: failedPath })
  if (!path) return undefined
  const createdAt = new Date().toISOString()
  return JournalWriter.create(path, {
    journal: JOURNAL_FORMAT,
    version: JOURNAL_VERSION,
    createdAt,
    inputs,
    failedFile: failedPath
  })
}

function journalNote(journal: JournalWriter, resumed: JournalState | undefined, files: string[]): string {
  if (resumed) {
    const { byOutcome, failedFiles } = resumed
    const earlier = failedFiles.slice(0, -1).filter(existsSync).join(', ')
    const failed = byOutcome.failed + byOutcome['too old']
    return `Resuming ${journal.path}: skipping ${resumed.done.size} events already done (${
      byOutcome.delivered
    } delivered, ${failed} failed, ${byOutcome['not subscribed']} not subscribed)${
      earlier ? `; earlier failures are in ${earlier}` : ''
    }.`
  }
  if (files.includes('-')) return `Journal: ${journal.path} (stdin cannot be resumed)`
  return `Journal: ${journal.path} (if this run stops, resume with: movable-ink send --resume ${
    journal.path
  } ${files.join(' ')})`
}

function delivererFor(options: SendOptions, inputs: CheckedInputs, settings: Settings): Deliverer {
  const { subscription } = options
  const run = { batchSize: options.batch, timeoutMs: options.timeoutMs }
  const workers = workersFor(options.workers, inputs)
  return workers
    ? new ThreadedDeliverer(workers, { settings, subscription, options: run })
    : new DestinationRunner(settings, subscription, run)
}

/** Everything a run reads and writes, checked and opened before the first event is read. */
interface Outputs {
  inputs: CheckedInputs
  resumed?: JournalState
  journal?: JournalWriter
  failedFile: FailedFile
}

/** The journal a new run creates: the one asked for, or one next to the failed-events file. */
function newJournalPath(options: SendOptions, failedPath: string): string | undefined {
  if (!options.journal) return undefined
  if (typeof options.journal === 'string') return options.journal
  return join(dirname(failedPath), `movable-ink-journal-${runStamp()}.jsonl`)
}

/** Every file the run will write, checked before any is opened and anything is sent. */
function checkOutputs(options: SendOptions, failedPath: string, journalPath: string | undefined): void {
  const failedWhat = options.failed
    ? 'The failed-events file (--failed)'
    : 'The failed-events file (by default in the working directory; --failed sets another)'
  checkOutputFile(failedPath, failedWhat)
  const outputs = [
    { path: failedPath, what: failedWhat },
    ...(journalPath ? [{ path: journalPath, what: 'The journal' }] : []),
    ...(options.summaryJson ? [{ path: options.summaryJson, what: 'The summary file (--summary-json)' }] : [])
  ]
  checkOutputsApart(outputs, options.files)
  // A second run with the same --failed would lose the first run's failures: it adds to them only when asked.
  if (!options.resume && !options.append && existsSync(failedPath) && statSync(failedPath).isFile())
    throw new OutputFileError(
      `${failedWhat} ${failedPath} already exists (the failures of another run?): add --append to add this run's failures to it, or choose another path.`,
      failedPath,
      'EEXIST'
    )
  if (options.resume) checkOutputFile(options.resume, 'The journal to resume (--resume), which the run appends to,')
  // An existing journal file is refused by JournalWriter.create, which says how to resume it.
  else if (journalPath && !(existsSync(journalPath) && statSync(journalPath).isFile()))
    checkOutputFile(
      journalPath,
      options.journal === true ? 'The journal (next to the failed-events file)' : 'The journal (--journal)'
    )
  if (options.summaryJson) checkOutputFile(options.summaryJson, 'The summary file (--summary-json)')
}

async function openOutputs(options: SendOptions, inputs: CheckedInputs, redactor: Redactor): Promise<Outputs> {
  const resumed = await journalToResume(options, inputs.fingerprints)
  const failedPath = options.failed ?? `movable-ink-failed-${fileStamp()}.jsonl`
  const journalPath = resumed ? resumed.path : newJournalPath(options, failedPath)
  checkOutputs(options, failedPath, journalPath)
  const journal = openJournal(resumed, inputs.fingerprints, failedPath, journalPath)
  const append = Boolean(resumed) || Boolean(options.append)
  return { inputs, resumed, journal, failedFile: new FailedFile(failedPath, redactor, append) }
}

/**
 * One run of `send`, in two steps: `open` checks the journal and opens it (a usage mistake is found before
 * anything starts), `deliver` sends to the settings given; `redactor` must already know the secrets.
 */
export class SendRun {
  private constructor(private readonly options: SendOptions, private readonly outputs: Outputs) {}

  /** `inputs` are `options.files` checked (send/inputs.ts), before anything else is. */
  static async open(options: SendOptions, inputs: CheckedInputs, redactor: Redactor): Promise<SendRun> {
    return new SendRun(options, await openOutputs(options, inputs, redactor))
  }

  /** The subscription's trigger, for the report's "not subscribed" lines. */
  get subscribe(): string {
    return this.options.subscription.subscribe
  }

  /** Closes what `open` opened, when `deliver` will not run. */
  async abandon(): Promise<void> {
    await Promise.all([this.outputs.failedFile.close(), this.outputs.journal?.close()])
  }

  async deliver(settings: Settings, report: SendObserver): Promise<SendResult> {
    const { options, outputs } = this
    const { resumed, journal, failedFile } = outputs
    if (journal) report.note(journalNote(journal, resumed, options.files))
    const deliverer = delivererFor(options, outputs.inputs, settings)
    const tally = new Tally()
    const stop: Stop = { requested: false }
    const onAbort = () => {
      if (stop.writeFailure) return
      stop.requested = tally.summary.interrupted = true
      report.note('Interrupted: finishing the events in flight (Ctrl-C again to quit at once).')
    }
    const onWriteFailure = (error: Error) => {
      tally.summary.interrupted = true
      report.note(`Stopping: ${error.message}. Finishing the events in flight (Ctrl-C again to quit at once).`)
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    // A stop asked for before delivery began (the command listens from its first line) is a stop all the same.
    if (options.signal?.aborted) onAbort()
    const dispatcher = this.dispatcher(deliverer, tally, report, stop, onWriteFailure)
    const started = performance.now()
    try {
      await dispatcher.run(this.reading(report, tally))
    } finally {
      options.signal?.removeEventListener('abort', onAbort)
      const journalClosed = journal?.close().catch((error: Error) => {
        report.note(`The journal ${journal.path} could not be made durable: ${error.message}`)
      })
      await Promise.all([deliverer.close(), failedFile.close(), journalClosed])
    }
    if (stop.error) throw stop.error
    return finish(options, outputs, tally, performance.now() - started, dispatcher.lastRead, stop.writeFailure)
  }

  private dispatcher(
    deliverer: Deliverer,
    tally: Tally,
    report: SendObserver,
    stop: Stop,
    stopping: (error: Error) => void
  ): Dispatcher {
    const { options, outputs } = this
    const { resumed, journal, failedFile } = outputs
    const slots = new Slots(Math.max(1, options.concurrency))
    const rules = {
      matches: matcherFor(options.subscription.subscribe),
      window: new AgeWindow(options.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS),
      resumed: resumed && { done: resumed.done, journal: resumed.path }
    }
    const recorder = new OutcomeRecorder(tally, report, failedFile, journal)
    return new Dispatcher({ deliverer, batch: options.batch, policy: options, slots }, rules, {
      recorder,
      tally,
      report,
      stop,
      failure: () => journal?.failure,
      stopping
    })
  }

  /** The inputs as the dispatcher reads them, with the progress of the bytes read across all of them. */
  private reading(report: SendObserver, tally: Tally) {
    const { inputs } = this.outputs
    const progress: ReadProgress = { bytesRead: 0 }
    let bytesBefore = 0
    const sizeOf = (file: string) => inputs.fingerprints[inputs.files.indexOf(file)]?.size ?? 0
    report.started?.({
      totalBytes: inputs.totalBytes,
      bytesRead: () => bytesBefore + progress.bytesRead,
      summary: tally.summary
    })
    const inputDone = (file: string) => (bytesBefore += sizeOf(file))
    const { signal } = this.options
    return { files: inputs.files, format: this.options.format ?? 'auto', progress, inputDone, signal }
  }
}

/** Writes --summary-json; a failure is returned as a line to tell (the run's work is done by then). */
function writeSummary(path: string | undefined, summary: SendSummary): string | undefined {
  if (!path) return undefined
  try {
    writeFileSafely(path, JSON.stringify(summary, null, 2) + '\n')
    return undefined
  } catch (error) {
    return writeFailure(path, 'The summary file (--summary-json)', error).message
  }
}

function finish(
  options: SendOptions,
  outputs: Outputs,
  tally: Tally,
  durationMs: number,
  lastRead: string,
  writeFailed?: Error
): SendResult {
  const { journal, resumed, failedFile } = outputs
  const summary = tally.finish(durationMs)
  if (failedFile.count > 0) summary.failedFile = failedFile.path
  if (journal) summary.journalFile = journal.path
  if (resumed) summary.resumedFrom = resumed.path
  const { skipped } = outputs.inputs
  if (skipped.length > 0) summary.skippedInputs = skippedCounts(skipped)
  const lines = [...summaryLines(summary, tally.examples), ...skippedLines(skipped)]
  const result: SendResult = { summary, lines }
  const summaryFailure = writeSummary(options.summaryJson, summary)
  if (summaryFailure) result.writeFailure = summaryFailure
  if (summary.interrupted) {
    const resume = journal ? ` Resume with: movable-ink send --resume ${journal.path} ${options.files.join(' ')}` : ''
    const last = `the last event read was ${lastRead || 'none'}; the events after it were not sent`
    result.interruption = writeFailed
      ? `Stopped: ${writeFailed.message}. The ${last.slice(
          4
        )}, and events whose outcome could not be written are not in the journal, so a resume handles them again.${resume}`
      : `Interrupted: ${last}.${resume}`
  }
  return result
}
