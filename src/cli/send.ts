import { randomBytes } from 'crypto'
import { createWriteStream, statSync, writeFileSync } from 'fs'
import type { WriteStream } from 'fs'
import { MultiBar, Presets } from 'cli-progress'
import type { Settings } from '../destinations/movable-ink/generated-types'
import { readEvents, FAILURE_KEY } from './readEvents'
import type { EventRecord, InputFormat, ReadProgress } from './readEvents'
import { Delivery, describeEvent, loadSubscriptions, matcherFor, presetSubscriptions } from './runtime'
import type { Outcome } from './runtime'
import { movableInkUrlWarning } from '../destinations/movable-ink/movableInkUrl'
import { Redactor, requireSettings, settingsFromOptions, UsageError } from './settings'
import type { SettingsOptions } from './settings'
import { defaultRecordFile, startStandIn } from './standIn'
import type { StandIn } from './standIn'
import { WorkerDelivery } from './workerDelivery'
import type { Deliverer } from './workerDelivery'

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

export interface SendSummary {
  read: number
  sent: number
  failed: number
  malformed: number
  skipped: number
  retries: number
  failedByReason: Record<string, number>
  durationMs: number
  eventsPerSecond: number
  peakRssBytes: number
  failedFile?: string
  receivedFile?: string
  interrupted: boolean
}

interface Unit {
  event: EventRecord
  source: string
  line: number
  started: number
  attempts: number
}

const MAX_REASONS = 50

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Bounded concurrency: at most `limit` deliveries in flight; the reader waits for a free slot. */
class Slots {
  private inFlight = 0
  private waiting: (() => void)[] = []
  private idle: (() => void)[] = []

  constructor(private readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.inFlight < this.limit) {
      this.inFlight++
      return
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve))
  }

  release(): void {
    const next = this.waiting.shift()
    if (next) return next()
    this.inFlight--
    if (this.inFlight === 0) this.idle.splice(0).forEach((resolve) => resolve())
  }

  async drain(): Promise<void> {
    if (this.inFlight === 0) return
    await new Promise<void>((resolve) => this.idle.push(resolve))
  }
}

/** The failed-events file: JSON Lines, written lazily, each line replayable with `send`. */
class FailedFile {
  private stream?: WriteStream
  count = 0

  constructor(readonly path: string, private readonly redactor: Redactor) {}

  async write(record: Record<string, unknown>, failure: Record<string, unknown>): Promise<void> {
    if (!this.stream) this.stream = createWriteStream(this.path, { flags: 'w' })
    const reasonText = this.redactor.redact(String(failure.reason ?? ''))
    const line = JSON.stringify({ [FAILURE_KEY]: { ...failure, reason: reasonText }, ...record }) + '\n'
    this.count++
    if (!this.stream.write(line)) await new Promise<void>((resolve) => this.stream?.once('drain', () => resolve()))
  }

  async close(): Promise<void> {
    const stream = this.stream
    if (!stream) return
    await new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
    )
  }
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length)
}

function ms(unit: { started: number }): string {
  const text = `${Math.round(performance.now() - unit.started)} ms`
  return ' '.repeat(Math.max(0, 8 - text.length)) + text
}

function reasonKey(outcome: Outcome & { ok: false }): string {
  return outcome.status !== undefined ? `HTTP ${outcome.status} ${outcome.code}` : outcome.code
}

/** Runs `send`: reads every input, delivers through the runtime, retries, and returns the summary. */
export async function runSend(options: SendOptions): Promise<SendSummary> {
  const out = options.out ?? process.stdout
  const given = settingsFromOptions(options, options.ignoreEnvironment ? {} : process.env)
  const redactor = new Redactor()
  const print = (line: string) => out.write(redactor.redact(line) + '\n')

  if (options.files.length === 0) throw new UsageError('No input: give one or more files, or - for stdin.')
  if (options.files.filter((f) => f === '-').length > 1) throw new UsageError('stdin (-) can only be read once.')
  let totalBytes = 0
  for (const file of options.files) {
    if (file === '-') continue
    try {
      totalBytes += statSync(file).size
    } catch {
      throw new UsageError(`Input file ${file} does not exist or cannot be read.`)
    }
  }
  const subscriptions = options.mapping ? loadSubscriptions(options.mapping) : presetSubscriptions()
  if (subscriptions.length !== 1) {
    throw new UsageError(
      `${options.mapping} holds ${subscriptions.length} subscriptions; send delivers with one (preview can compare several).`
    )
  }
  const subscription = subscriptions[0]

  let standIn: StandIn | undefined
  let settings: Settings
  if (given.url) {
    settings = requireSettings(given)
    const warning = movableInkUrlWarning(settings.movable_ink_url)
    if (warning) process.stderr.write(warning + '\n')
  } else {
    const username = given.username ?? 'movable-ink-local'
    const password = given.password ?? randomBytes(18).toString('base64url')
    standIn = await startStandIn({ username, password, record: options.record ?? defaultRecordFile() })
    settings = { movable_ink_url: standIn.url, username, password }
    if (!options.quiet) {
      print(
        `No Movable Ink URL given (--url or MOVABLE_INK_URL): delivering to the embedded Movable Ink stand-in at ${standIn.url}`
      )
    }
  }
  redactor.add(settings.username, settings.password)

  const deliveryOptions = { batchSize: options.batch, timeoutMs: options.timeoutMs }
  const delivery: Deliverer = options.workers
    ? new WorkerDelivery(options.workers, { settings, subscription, options: deliveryOptions })
    : new Delivery(settings, subscription, deliveryOptions)
  const matches = matcherFor(subscription.subscribe)
  const failedFile = new FailedFile(
    options.failed ?? `movable-ink-failed-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}.jsonl`,
    redactor
  )
  const slots = new Slots(Math.max(1, options.concurrency))
  const summary: SendSummary = {
    read: 0,
    sent: 0,
    failed: 0,
    malformed: 0,
    skipped: 0,
    retries: 0,
    failedByReason: {},
    durationMs: 0,
    eventsPerSecond: 0,
    peakRssBytes: 0,
    interrupted: false
  }
  const examples: Record<string, string> = {}
  const started = performance.now()
  const progress: ReadProgress = { bytesRead: 0 }
  let bytesBefore = 0

  // The progress bar: only on a terminal, and not when every event prints its own line.
  const showBar = Boolean((process.stderr as NodeJS.WriteStream).isTTY) && !options.quiet && !options.verbose
  const bars = showBar
    ? new MultiBar(
        {
          format: ' {bar} {percentage}% | {sent} sent, {failed} failed, {retries} retries | {rate} events/s',
          hideCursor: true,
          clearOnComplete: true,
          stream: process.stderr
        },
        Presets.shades_classic
      )
    : undefined
  const bar = bars?.create(Math.max(1, totalBytes), 0, { sent: 0, failed: 0, retries: 0, rate: 0 })
  const ticker = bar
    ? setInterval(() => {
        const seconds = (performance.now() - started) / 1000
        bar.update(Math.min(totalBytes, bytesBefore + progress.bytesRead), {
          sent: summary.sent,
          failed: summary.failed,
          retries: summary.retries,
          rate: Math.round(summary.sent / Math.max(seconds, 0.001))
        })
      }, 200)
    : undefined
  const line = (text: string) => {
    if (bars) bars.log(redactor.redact(text) + '\n')
    else print(text)
  }

  const countFailure = (key: string, message: string) => {
    const bucket =
      key in summary.failedByReason || Object.keys(summary.failedByReason).length < MAX_REASONS ? key : 'other'
    summary.failedByReason[bucket] = (summary.failedByReason[bucket] ?? 0) + 1
    if (!(bucket in examples)) examples[bucket] = message
  }

  const succeed = (unit: Unit, outcome: Outcome & { ok: true }) => {
    summary.sent++
    if (options.verbose) {
      line(
        `  ✓ ${pad(describeEvent(unit.event), 32)} ${outcome.status}  ${ms(unit)}${
          unit.attempts > 1 ? `  after ${unit.attempts} attempts` : ''
        }`
      )
    }
  }

  const skip = (event: EventRecord) => {
    summary.skipped++
    if (options.verbose)
      line(`  - ${pad(describeEvent(event), 32)} not subscribed (${subscription.subscribe}): not sent`)
  }

  const fail = async (unit: Unit, failure: Outcome & { ok: false }) => {
    // A retryable failure only ends up here when the retries ran out (or the run was interrupted).
    const outcome = failure.retryable
      ? {
          ...failure,
          message: `${failure.message} Gave up after ${unit.attempts} attempt${unit.attempts === 1 ? '' : 's'}.`
        }
      : failure
    summary.failed++
    countFailure(reasonKey(outcome), outcome.message)
    if (!options.quiet) {
      line(
        `  ✗ ${pad(describeEvent(unit.event), 32)} ${outcome.status ?? '---'}  ${ms(unit)}  ${unit.source}:${
          unit.line
        }: ${outcome.message}`
      )
    }
    await failedFile.write(
      { event: unit.event },
      {
        reason: outcome.message,
        status: outcome.status,
        errortype: outcome.code,
        attempts: unit.attempts,
        source: unit.source,
        line: unit.line,
        failedAt: new Date().toISOString()
      }
    )
  }

  let stopping = false
  const onSignal = () => {
    if (stopping) process.exit(130)
    stopping = true
    summary.interrupted = true
    line('Interrupted: finishing the events in flight (Ctrl-C again to quit at once).')
  }
  process.on('SIGINT', onSignal)

  const delayFor = (attempt: number, retryAfterMs?: number) => {
    const ceiling = Math.min(options.maxDelayMs, options.retryBaseMs * 2 ** attempt)
    const backoff = ceiling / 2 + (Math.random() * ceiling) / 2
    return Math.min(options.maxDelayMs, Math.max(retryAfterMs ?? 0, backoff))
  }

  const deliverOne = async (unit: Unit) => {
    for (let attempt = 0; ; attempt++) {
      unit.attempts++
      const outcome = await delivery.sendOne(unit.event)
      if (outcome.ok && outcome.notSubscribed) return skip(unit.event)
      if (outcome.ok) return succeed(unit, outcome)
      if (!outcome.retryable || attempt >= options.retries || stopping) return fail(unit, outcome)
      summary.retries++
      await sleep(delayFor(attempt, outcome.retryAfterMs))
    }
  }

  const deliverBatch = async (units: Unit[]) => {
    let pending = units
    for (let attempt = 0; pending.length > 0; attempt++) {
      pending.forEach((unit) => unit.attempts++)
      const outcomes = await delivery.sendMany(pending.map((unit) => unit.event))
      const again: Unit[] = []
      let retryAfterMs: number | undefined
      for (let i = 0; i < pending.length; i++) {
        const outcome = outcomes[i]
        if (outcome.ok) succeed(pending[i], outcome)
        else if (outcome.retryable && attempt < options.retries && !stopping) {
          again.push(pending[i])
          if (outcome.retryAfterMs !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, outcome.retryAfterMs)
        } else await fail(pending[i], outcome)
      }
      if (again.length === 0) return
      summary.retries += again.length
      await sleep(delayFor(attempt, retryAfterMs))
      pending = again
    }
  }

  const dispatch = async (work: () => Promise<void>) => {
    await slots.acquire()
    work()
      .catch((error: Error) => line(`Internal error: ${error.message}`))
      .finally(() => slots.release())
  }

  let group: Unit[] = []
  let lastRead = ''
  try {
    for (const file of options.files) {
      if (stopping) break
      progress.bytesRead = 0
      for await (const item of readEvents(file, options.format ?? 'auto', progress)) {
        if (stopping) break
        summary.read++
        lastRead = `${item.source} line ${item.line}`
        if (item.kind === 'malformed') {
          summary.failed++
          summary.malformed++
          countFailure('malformed input', item.reason)
          if (!options.quiet) line(`  ✗ ${item.source}:${item.line}: malformed input, ${item.reason}`)
          await failedFile.write(
            { raw: item.raw },
            {
              reason: `malformed input: ${item.reason}`,
              source: item.source,
              line: item.line,
              failedAt: new Date().toISOString()
            }
          )
          continue
        }
        const unit: Unit = {
          event: item.event,
          source: item.source,
          line: item.line,
          started: performance.now(),
          attempts: 0
        }
        if (!options.batch) {
          // The runtime itself tells when the event does not match the subscription.
          await dispatch(() => deliverOne(unit))
          continue
        }
        // In a batch the runtime reports a non-matching event as a 400, like an invalid one: tell them apart
        // first, with the runtime's own matcher.
        if (!matches(item.event)) {
          skip(item.event)
          continue
        }
        group.push(unit)
        if (group.length >= options.batch) {
          const full = group
          group = []
          await dispatch(() => deliverBatch(full))
        }
      }
      if (file !== '-') bytesBefore += statSync(file).size
    }
    if (group.length > 0) {
      const rest = group
      group = []
      await dispatch(() => deliverBatch(rest))
    }
    await slots.drain()
  } finally {
    process.off('SIGINT', onSignal)
    if (ticker) clearInterval(ticker)
    bars?.stop()
    await delivery.close()
    await failedFile.close()
    if (standIn) await standIn.close()
  }

  summary.durationMs = Math.round(performance.now() - started)
  summary.eventsPerSecond = Math.round((summary.sent / Math.max(summary.durationMs, 1)) * 1000 * 10) / 10
  summary.peakRssBytes = process.resourceUsage().maxRSS * 1024
  if (failedFile.count > 0) summary.failedFile = failedFile.path
  if (standIn && standIn.recordFile) summary.receivedFile = standIn.recordFile

  if (options.summaryJson) writeFileSync(options.summaryJson, JSON.stringify(summary, null, 2) + '\n')
  printSummary(summary, examples, print, standIn)
  if (summary.interrupted)
    print(`Interrupted: the last event read was ${lastRead || 'none'}; the events after it were not sent.`)
  return summary
}

function printSummary(
  summary: SendSummary,
  examples: Record<string, string>,
  print: (line: string) => void,
  standIn?: StandIn
): void {
  const seconds = summary.durationMs / 1000
  print('')
  print(
    `Sent ${summary.sent} of ${summary.read} event${summary.read === 1 ? '' : 's'} in ${seconds.toFixed(2)} s (${
      summary.eventsPerSecond
    } events/s); ` +
      `${summary.failed} failed, ${summary.skipped} not subscribed, ${summary.retries} retr${
        summary.retries === 1 ? 'y' : 'ies'
      }.`
  )
  for (const [reason, count] of Object.entries(summary.failedByReason)) {
    print(`  ${count} × ${reason}: ${examples[reason] ?? ''}`)
  }
  if (summary.failedFile)
    print(`Failed events (replay with: movable-ink send ${summary.failedFile}): ${summary.failedFile}`)
  if (standIn) {
    print(
      `The stand-in accepted ${standIn.stats.accepted} request${standIn.stats.accepted === 1 ? '' : 's'} (${
        standIn.stats.events
      } event${standIn.stats.events === 1 ? '' : 's'})` +
        (standIn.recordFile ? ` and stored them in ${standIn.recordFile}` : '')
    )
  }
}
