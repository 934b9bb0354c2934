import { randomBytes } from 'crypto'
import type { Command } from 'commander'
import type { Settings } from '../../destinations/movable-ink/generated-types'
import { movableInkUrlWarning } from '../../destinations/movable-ink/movableInkUrl'
import { requireSettings, settingsFromOptions } from '../../runtime/settings'
import { subscriptionsFrom } from '../../runtime/subscriptions'
import { defaultWorkers } from '../../send/deliveryThreads'
import { checkInputs } from '../../send/inputs'
import { SendRun } from '../../send/runSend'
import type { SendOptions, SendResult } from '../../send/runSend'
import { TextReport } from '../../send/textReport'
import { checkRecordFile, defaultRecordFile } from '../../standIn/record'
import { checkOutputsApart } from '../../io/outputsApart'
import { startStandIn } from '../../standIn/standIn'
import type { StandIn } from '../../standIn/standIn'
import { addCredentials, lineWriter } from '../context'
import type { CommandContext } from '../context'
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exitCodes'
import { eventsCommand, integer } from '../options'
import type { EventsFlags } from '../options'
import { ProgressBar } from '../progressBar'
import { plural } from '../../io/plural'
import { onStopSignal } from '../signals'

/** What commander parses for `send`. */
interface SendFlags extends EventsFlags {
  batch?: number
  concurrency: number
  workers?: number
  retries: number
  retryBaseMs: number
  maxDelayMs: number
  timeout?: number
  failed?: string
  append?: boolean
  journal?: string | boolean
  resume?: string
  maxAgeDays: number
  summaryJson?: string
  record?: string
  verbose?: boolean
  quiet?: boolean
}

const DESCRIPTION =
  'Deliver events through the destination: JSON files (one event or an array), JSON Lines, folders of them, or - for stdin.'
const MAPPING_HELP =
  'a mapping (Segment mapping JSON: @path, @if, @template, ...) or a subscription {subscribe, mapping}'

function describe(program: Command): Command {
  return eventsCommand(program, 'send', DESCRIPTION, MAPPING_HELP)
    .option('--batch <n>', 'send with the batching path, n events per onBatch call', integer(1, 1000))
    .option('--concurrency <n>', 'events (or batches) in flight at once', integer(1, 1024), 8)
    .option(
      '--workers <n>',
      `worker threads that run the deliveries, 0 for the main thread; --concurrency is the total across them (default: ${defaultWorkers()} for inputs of 4 MB or more, gzip or stdin, else 0; 0 with --batch)`,
      integer(0, 16)
    )
    .option(
      '--retries <n>',
      'retries for retryable failures (429, 5xx, timeouts, connection errors)',
      integer(0, 100),
      5
    )
    .option('--retry-base-ms <ms>', 'first back-off delay; doubles on each retry, with jitter', integer(0), 500)
    .option('--max-delay-ms <ms>', 'longest wait between attempts, Retry-After included', integer(0), 60_000)
    .option('--timeout <ms>', "give up on a request after this long (default: the runtime's 10 s)", integer(1))
    .option(
      '--failed <file>',
      'where events that finally fail are written (JSON Lines, replayable with send); an existing file is refused without --append'
    )
    .option('--append', "add this run's failures to an existing --failed file")
    .option(
      '--journal <file>',
      "where each event's final outcome is recorded, for --resume (default: movable-ink-journal-<time>-<pid>.jsonl next to the failed-events file)"
    )
    .option('--no-journal', 'keep no journal (a stopped run cannot be resumed)')
    .option(
      '--resume <journal>',
      'skip the events that journal holds as done and send the rest (give the same input files); appends to it'
    )
    .option(
      '--max-age-days <n>',
      'do not send events whose timestamp is older (Movable Ink does not accept data older than 30 days); 0 sends all',
      integer(0, 36500),
      30
    )
    .option('--summary-json <file>', 'also write the summary as JSON')
    .option('--record <file>', 'where the embedded stand-in stores what it receives (when no URL is given)')
    .option('-v, --verbose', 'one line per event')
    .option('-q, --quiet', 'only the summary')
}

function sendOptions(files: string[], flags: SendFlags, signal: AbortSignal): SendOptions {
  const subscriptions = subscriptionsFrom(flags.mapping)
  if (subscriptions.length !== 1)
    throw new UsageError(
      `${flags.mapping} holds ${subscriptions.length} subscriptions; send delivers with one (preview can compare several).`
    )
  return {
    ...flags,
    files,
    subscription: subscriptions[0],
    // Batches cost the workers little per event, so the main thread's reading is the bottleneck and worker
    // threads only add copying and memory (measured: slower, and over 250 MB for 1,000,000 events).
    workers: flags.workers ?? (flags.batch ? 0 : undefined),
    // On unless --no-journal: who needs it finds out only after the crash.
    journal: flags.journal ?? true,
    timeoutMs: flags.timeout,
    signal
  }
}

/** The settings given for a real endpoint, checked (with a warning for a URL of an odd shape); none without a URL. */
function checkedSettings(flags: SendFlags, context: CommandContext): Settings | undefined {
  const given = settingsFromOptions(flags, context.env)
  addCredentials(context, given.username, given.password)
  if (!given.url) return undefined
  const settings = requireSettings(given)
  const warning = movableInkUrlWarning(settings.movable_ink_url)
  if (warning) context.err.write(warning + '\n')
  return settings
}

/** Without a URL: the embedded stand-in, started here (closed by the caller), and its settings. */
async function embeddedStandIn(
  flags: SendFlags,
  record: string,
  context: CommandContext,
  print: (line: string) => void
) {
  const given = settingsFromOptions(flags, context.env)
  const username = given.username ?? 'movable-ink-local'
  const password = given.password ?? randomBytes(18).toString('base64url')
  addCredentials(context, username, password)
  const standIn = await startStandIn({ username, password, record })
  if (!flags.quiet)
    print(
      `No Movable Ink URL given (--url or MOVABLE_INK_URL): delivering to the embedded Movable Ink stand-in at ${standIn.url}`
    )
  const settings: Settings = { movable_ink_url: standIn.url, username, password }
  return { settings, standIn }
}

function standInLine(standIn: StandIn): string {
  const { accepted, events } = standIn.stats
  const stored = standIn.recordFile ? ` and stored them in ${standIn.recordFile}` : ''
  return `The stand-in accepted ${plural(accepted, 'request')} (${plural(events, 'event')})${stored}`
}

/**
 * The stop signals are the run's from before its first line: a Ctrl-C as soon as the stand-in's line shows (or
 * while the journal opens) stops the run cleanly, where Node's default action would end it with no summary.
 */
async function runSendCommand(files: string[], flags: SendFlags, context: CommandContext): Promise<void> {
  const controller = new AbortController()
  const removeHandlers = onStopSignal(() => controller.abort())
  try {
    await sendAndReport(files, flags, context, controller.signal)
  } finally {
    removeHandlers()
  }
}

async function sendAndReport(files: string[], flags: SendFlags, context: CommandContext, signal: AbortSignal) {
  const print = lineWriter(context.out, context.redactor)
  const inputs = checkInputs(files, flags.maxAgeDays)
  const options = sendOptions(files, flags, signal)
  const checked = checkedSettings(flags, context)
  // Every file the run writes is checked before the first is opened: the stand-in's record here, the others
  // by SendRun.open.
  const record = checked ? undefined : flags.record ?? defaultRecordFile()
  if (record) {
    checkRecordFile(record)
    checkOutputsApart([{ path: record, what: "The stand-in's record (--record)" }], files)
  }
  const run = await SendRun.open(options, inputs, context.redactor)
  let standIn: StandIn | undefined
  let settings = checked
  if (!settings) {
    const embedded = await embeddedStandIn(flags, record as string, context, print).catch(async (error: Error) => {
      await run.abandon()
      throw error
    })
    ;({ settings, standIn } = embedded)
  }
  const bar = new ProgressBar(context.err)
  let result: SendResult
  try {
    const text = new TextReport((line) => bar.write(line, print), context.redactor, {
      ...flags,
      subscribe: run.subscribe
    })
    const showBar = Boolean(context.err.isTTY) && !flags.quiet && !flags.verbose
    result = await run.deliver(settings, showBar ? bar.around(text) : text)
  } finally {
    bar.stop()
    await standIn?.close()
  }
  result.lines.forEach(print)
  if (standIn) print(standInLine(standIn))
  if (result.interruption) print(result.interruption)
  if (result.writeFailure) context.err.write(context.redactor.redact(result.writeFailure) + '\n')
  const { summary } = result
  const failed = summary.failed > 0 || summary.tooOld > 0 || summary.interrupted || Boolean(result.writeFailure)
  context.setExitCode(failed ? EXIT_FAILED : EXIT_OK)
}

export function registerSend(program: Command, context: CommandContext): void {
  describe(program).action((files: string[], flags: SendFlags) => runSendCommand(files, flags, context))
}
