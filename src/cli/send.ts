import { randomBytes } from 'crypto'
import { existsSync, writeFileSync } from 'fs'
import { dirname, join } from 'path'
import type { Settings } from '../destinations/movable-ink/generated-types'
import { movableInkUrlWarning } from '../destinations/movable-ink/movableInkUrl'
import type { InputFormat, ReadProgress } from './readEvents'
import { Delivery, loadSubscriptions, matcherFor, presetSubscriptions } from './runtime'
import type { SubscriptionSpec } from './runtime'
import { Redactor, requireSettings, settingsFromOptions, UsageError } from './settings'
import type { SettingsOptions } from './settings'
import { defaultRecordFile, startStandIn } from './standIn'
import type { StandIn } from './standIn'
import { WorkerDelivery } from './workerDelivery'
import type { Deliverer } from './workerDelivery'
import { AgeWindow, DEFAULT_MAX_AGE_DAYS } from './send/ageWindow'
import { readAndDispatch } from './send/dispatch'
import type { Stop } from './send/dispatch'
import { FailedFile, fileStamp } from './send/failedFile'
import { checkInputs, inputsDiffer } from './send/inputs'
import type { InputFingerprint } from './send/inputs'
import { JOURNAL_FORMAT, JOURNAL_VERSION, JournalWriter } from './send/journal'
import { readJournal } from './send/journalReader'
import type { JournalState } from './send/journalReader'
import { OutcomeRecorder } from './send/outcomes'
import { Reporter } from './send/report'
import { Slots } from './send/slots'
import { printSummary, Tally } from './send/summary'
import type { SendSummary } from './send/summary'

export type { SendSummary } from './send/summary'

export interface SendOptions extends SettingsOptions {
  files: string[]
  format?: InputFormat
  mapping?: string
  batch?: number
  concurrency: number
  /** Worker threads that run the deliveries; 0 (the default here) delivers in the main thread. */
  workers?: number
  retries: number
  retryBaseMs: number
  maxDelayMs: number
  timeoutMs?: number
  failed?: string
  /** The delivery journal: a path, true for one next to the failed-events file, false or omitted for none. */
  journal?: string | boolean
  /** A journal to resume: its finished events are skipped, the others sent, and it is appended to. */
  resume?: string
  /** Events whose timestamp is older are not sent (default 30); 0 sends every age. */
  maxAgeDays?: number
  summaryJson?: string
  /** One line per event, delivered or not. */
  verbose?: boolean
  /** Nothing but the summary (and usage errors). */
  quiet?: boolean
  /** Ignore MOVABLE_INK_* variables (the demo always uses the embedded stand-in). */
  ignoreEnvironment?: boolean
  /** Where the embedded stand-in records, when there is no URL. */
  record?: string
  out?: NodeJS.WritableStream
}

function oneSubscription(mapping: string | undefined): SubscriptionSpec {
  const subscriptions = mapping ? loadSubscriptions(mapping) : presetSubscriptions()
  if (subscriptions.length !== 1) {
    throw new UsageError(
      `${mapping} holds ${subscriptions.length} subscriptions; send delivers with one (preview can compare several).`
    )
  }
  return subscriptions[0]
}

/** The journal to resume, checked against the inputs given now. */
async function journalToResume(options: SendOptions, inputs: InputFingerprint[]): Promise<JournalState | undefined> {
  if (!options.resume) return undefined
  if (options.journal === false) throw new UsageError('--resume appends to the journal it resumes: drop --no-journal.')
  if (typeof options.journal === 'string' && options.journal !== options.resume) {
    throw new UsageError(`--resume ${options.resume} goes on writing that journal: drop --journal ${options.journal}.`)
  }
  const state = await readJournal(options.resume)
  const why = inputsDiffer(state.header.inputs, inputs)
  if (why) {
    throw new UsageError(
      `The journal ${options.resume} belongs to other inputs: ${why}. Resume with the input files of that run, in the same order, or send without --resume.`
    )
  }
  return state
}

/** Opens the journal: the resumed one, the one asked for, or by default one next to the failed-events file. */
function openJournal(
  options: SendOptions,
  resumed: JournalState | undefined,
  inputs: InputFingerprint[],
  failedPath: string
): JournalWriter | undefined {
  if (resumed)
    return JournalWriter.reopen(resumed.path, { resumedAt: new Date().toISOString(), failedFile: failedPath })
  if (!options.journal) return undefined
  const path =
    typeof options.journal === 'string'
      ? options.journal
      : join(dirname(failedPath), `movable-ink-journal-${fileStamp()}-${process.pid}.jsonl`)
  return JournalWriter.create(path, {
    journal: JOURNAL_FORMAT,
    version: JOURNAL_VERSION,
    createdAt: new Date().toISOString(),
    inputs,
    failedFile: failedPath
  })
}

/** The settings given for a real endpoint, checked; undefined when there is no URL (the embedded stand-in). */
function givenSettings(options: SendOptions): Settings | undefined {
  const given = settingsFromOptions(options, options.ignoreEnvironment ? {} : process.env)
  if (!given.url) return undefined
  const settings = requireSettings(given)
  const warning = movableInkUrlWarning(settings.movable_ink_url)
  if (warning) process.stderr.write(warning + '\n')
  return settings
}

/** The endpoint: the settings given, or the embedded stand-in. */
async function deliveryTarget(
  options: SendOptions,
  report: Reporter,
  checked: Settings | undefined
): Promise<{ settings: Settings; standIn?: StandIn }> {
  if (checked) return { settings: checked }
  const given = settingsFromOptions(options, options.ignoreEnvironment ? {} : process.env)
  const username = given.username ?? 'movable-ink-local'
  const password = given.password ?? randomBytes(18).toString('base64url')
  const standIn = await startStandIn({ username, password, record: options.record ?? defaultRecordFile() })
  if (!options.quiet) {
    report.print(
      `No Movable Ink URL given (--url or MOVABLE_INK_URL): delivering to the embedded Movable Ink stand-in at ${standIn.url}`
    )
  }
  return { settings: { movable_ink_url: standIn.url, username, password }, standIn }
}

function announceJournal(report: Reporter, journal: JournalWriter, resumed: JournalState | undefined, files: string[]) {
  if (resumed) {
    const { byOutcome, failedFiles } = resumed
    const earlier = failedFiles.slice(0, -1).filter(existsSync).join(', ')
    report.print(
      `Resuming ${journal.path}: skipping ${resumed.done.size} events already done (${byOutcome.delivered} delivered, ${
        byOutcome.failed + byOutcome['too old']
      } failed, ${byOutcome['not subscribed']} not subscribed)${earlier ? `; earlier failures are in ${earlier}` : ''}.`
    )
  } else if (files.includes('-')) {
    report.print(`Journal: ${journal.path} (stdin cannot be resumed)`)
  } else {
    report.print(
      `Journal: ${journal.path} (if this run stops, resume with: movable-ink send --resume ${journal.path} ${files.join(
        ' '
      )})`
    )
  }
}

/** Runs `send`: reads every input, delivers through the runtime, retries, journals, and returns the summary. */
export async function runSend(options: SendOptions): Promise<SendSummary> {
  const inputs = checkInputs(options.files)
  const subscription = oneSubscription(options.mapping)
  const redactor = new Redactor()
  const report = new Reporter(options.out ?? process.stdout, redactor, {
    ...options,
    subscribe: subscription.subscribe
  })
  const checked = givenSettings(options)
  const resumed = await journalToResume(options, inputs.fingerprints)
  const failedPath = options.failed ?? `movable-ink-failed-${fileStamp()}.jsonl`
  const journal = openJournal(options, resumed, inputs.fingerprints, failedPath)
  const { settings, standIn } = await deliveryTarget(options, report, checked)
  redactor.add(settings.username, settings.password)
  if (journal && !options.quiet) announceJournal(report, journal, resumed, options.files)

  const deliveryOptions = { batchSize: options.batch, timeoutMs: options.timeoutMs }
  const deliverer: Deliverer = options.workers
    ? new WorkerDelivery(options.workers, { settings, subscription, options: deliveryOptions })
    : new Delivery(settings, subscription, deliveryOptions)
  const tally = new Tally()
  const summary = tally.summary
  const failedFile = new FailedFile(failedPath, redactor, Boolean(resumed))
  const started = performance.now()
  const progress: ReadProgress = { bytesRead: 0 }
  let bytesBefore = 0
  report.startBar(inputs.totalBytes, () => bytesBefore + progress.bytesRead, summary)

  const stop: Stop = { requested: false }
  const onSignal = () => {
    if (stop.requested) process.exit(130)
    stop.requested = true
    summary.interrupted = true
    report.line('Interrupted: finishing the events in flight (Ctrl-C again to quit at once).')
  }
  process.on('SIGINT', onSignal)
  let lastRead = ''
  try {
    lastRead = await readAndDispatch({
      files: options.files,
      format: options.format ?? 'auto',
      batch: options.batch,
      deliverer,
      matches: matcherFor(subscription.subscribe),
      policy: options,
      window: new AgeWindow(options.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS),
      done: resumed?.done,
      recorder: new OutcomeRecorder(tally, report, failedFile, journal),
      slots: new Slots(Math.max(1, options.concurrency)),
      tally,
      report,
      stop,
      progress,
      inputDone: (file) =>
        (bytesBefore += file === '-' ? 0 : inputs.fingerprints[options.files.indexOf(file)].size ?? 0),
      failure: () => journal?.failure
    })
  } finally {
    process.off('SIGINT', onSignal)
    report.stopBar()
    await deliverer.close()
    await failedFile.close()
    await journal?.close()
    if (standIn) await standIn.close()
  }
  if (stop.error) throw stop.error

  tally.finish(performance.now() - started)
  if (failedFile.count > 0) summary.failedFile = failedFile.path
  if (journal) summary.journalFile = journal.path
  if (resumed) summary.resumedFrom = resumed.path
  if (standIn && standIn.recordFile) summary.receivedFile = standIn.recordFile
  if (options.summaryJson) writeFileSync(options.summaryJson, JSON.stringify(summary, null, 2) + '\n')
  printSummary(summary, tally.examples, (line) => report.print(line), standIn)
  if (summary.interrupted) {
    const resume = journal ? ` Resume with: movable-ink send --resume ${journal.path} ${options.files.join(' ')}` : ''
    report.print(
      `Interrupted: the last event read was ${lastRead || 'none'}; the events after it were not sent.${resume}`
    )
  }
  return summary
}
