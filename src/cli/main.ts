#!/usr/bin/env node
import { resolve } from 'path'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { runDemo } from './demo'
import { runPreview } from './preview'
import type { PreviewOptions } from './preview'
import { runSend } from './send'
import type { SendOptions } from './send'
import { Redactor, UsageError } from './settings'
import { runReceive } from './receive'
import { runStudio } from '../studio/run'
import type { RunStudioOptions } from '../studio/run'
import type { OldEventMode, UnmappedMode } from './standIn'
import { defaultWorkers } from './workerDelivery'

/** Exit codes: 0 all delivered (or previewed without errors), 1 some failed, 2 usage or settings error. */
const EXIT_OK = 0
const EXIT_FAILED = 1
const EXIT_USAGE = 2

/** The bundled examples, found from dist/cli or src/cli alike. */
export const EXAMPLES_DIR = resolve(__dirname, '..', '..', 'examples')

function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value)
    if (!/^\d+$/.test(value.trim()) || n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`)
    return n
  }
}

function share(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError('expected a share from 0 to 1, like 0.2.')
  return n
}

function addSettingsOptions(command: Command): Command {
  return command
    .option('--url <url>', 'Movable Ink endpoint URL (env MOVABLE_INK_URL)')
    .option('--username <id>', 'Movable Ink Access Key ID (env MOVABLE_INK_USERNAME)')
    .option(
      '--access-secret <secret>',
      'Movable Ink Access Secret (env MOVABLE_INK_ACCESS_SECRET, preferred: flags show in ps and shell history)'
    )
}

/** What commander parses for `send`: the options themselves, with `--timeout` for `timeoutMs`. */
type SendFlags = Omit<SendOptions, 'files' | 'timeoutMs' | 'ignoreEnvironment' | 'out'> & { timeout?: number }

function sendOptions(files: string[], flags: SendFlags): SendOptions {
  const { timeout, ...options } = flags
  return {
    ...options,
    files,
    // Batches cost the workers little per event, so the main thread's reading is the bottleneck and worker
    // threads only add copying and memory (measured: slower, and over 250 MB for 1,000,000 events).
    workers: flags.workers ?? (flags.batch ? 0 : defaultWorkers()),
    // On unless --no-journal: who needs it finds out only after the crash.
    journal: flags.journal ?? true,
    timeoutMs: timeout
  }
}

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command()
  program
    .name('movable-ink')
    .description(
      'Deliver, preview and receive Segment events with the Movable Ink (Actions) destination, on your own machine.'
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()

  const formatOption = new Option('--format <format>', 'input format: auto (by extension and content), json, or jsonl')
    .choices(['auto', 'json', 'jsonl'])
    .default('auto')

  const send = program
    .command('send')
    .description(
      'Deliver events through the destination: JSON files (one event or an array), JSON Lines, or - for stdin.'
    )
    .argument('[files...]', 'input files; - reads stdin')
  addSettingsOptions(send)
    .addOption(formatOption)
    .option(
      '--mapping <file>',
      'a mapping (Segment mapping JSON: @path, @if, @template, ...) or a subscription {subscribe, mapping}'
    )
    .option('--batch <n>', 'send with the batching path, n events per onBatch call', integer(1, 1000))
    .option('--concurrency <n>', 'events (or batches) in flight at once', integer(1, 1024), 8)
    .option(
      '--workers <n>',
      `worker threads that run the deliveries, 0 for the main thread; --concurrency is the total across them (default: ${defaultWorkers()}, or 0 with --batch)`,
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
    .option('--failed <file>', 'where events that finally fail are written (JSON Lines, replayable with send)')
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
    .action(async (files: string[], flags: SendFlags) => {
      const summary = await runSend(sendOptions(files, flags))
      setExitCode(summary.failed > 0 || summary.interrupted ? EXIT_FAILED : EXIT_OK)
    })

  const preview = program
    .command('preview')
    .description(
      "Show, for each event, the matching subscriptions, the mapped payload, the exact HTTP request and Movable Ink's checks. Sends nothing."
    )
    .argument('<files...>', 'input files; - reads stdin')
  addSettingsOptions(preview)
    .addOption(formatOption)
    .option('--mapping <file>', 'a mapping (Segment mapping JSON) or subscription(s) to preview with')
    .option(
      '--endpoint <file>',
      "Movable Ink's event mappings to check each event against (default: examples/movable-ink-endpoint.json)"
    )
    .option('--json', 'print a JSON array for scripts (the closing summary goes to stderr)')
    .action(async (files: string[], flags: Omit<PreviewOptions, 'files' | 'now' | 'out'>) => {
      const result = await runPreview({ ...flags, files })
      setExitCode(result.withErrors > 0 ? EXIT_FAILED : EXIT_OK)
    })

  program
    .command('receive')
    .description(
      'Run the Movable Ink stand-in: a Customer Data Endpoint on loopback (POST /behavioral/<key>) that checks auth, size and JSON, evaluates each event against the event mappings, and records what it accepts.'
    )
    .option('--port <port>', 'port to listen on (0: any free port)', integer(0, 65535), 0)
    .option('--username <id>', 'the Access Key ID to accept (env MOVABLE_INK_USERNAME)')
    .option('--access-secret <secret>', 'the Access Secret to accept (env MOVABLE_INK_ACCESS_SECRET)')
    .option(
      '--endpoint <file>',
      'the endpoint file: key and event mappings (default: examples/movable-ink-endpoint.json)'
    )
    .option('--no-endpoint', 'no event mappings: store every event, as a plain sink (for load tests)')
    .addOption(
      new Option('--unmapped <mode>', 'an event no active event mapping can take: refuse the request, or store it')
        .choices(['reject', 'accept'])
        .default('reject')
    )
    .addOption(
      new Option(
        '--older-than-30-days <mode>',
        'an event older than 30 days: refuse the request, drop it (200), or store it'
      )
        .choices(['reject', 'drop', 'accept'])
        .default('reject')
    )
    .option('--record <file>', 'JSON Lines file for accepted requests (default: .movable-ink/received-<time>.jsonl)')
    .option('--no-record', 'keep nothing')
    .option('--rate-429 <share>', 'share of requests answered 429 (without Retry-After, as Movable Ink)', share, 0)
    .option('--retry-after <seconds>', 'add this Retry-After to injected 429s', integer(0))
    .option('--rate-500 <share>', 'share of requests answered 500', share, 0)
    .option('--rate-drop <share>', 'share of requests whose connection is dropped', share, 0)
    .option('--rate-slow <share>', 'share of requests answered late', share, 0)
    .option('--slow-ms <ms>', 'how late', integer(0), 2000)
    .option('--seed <n>', 'seed for the injected faults, for reproducible runs', integer(0))
    .option('-q, --quiet', 'do not print each request')
    .action(async (flags: Record<string, unknown>) => {
      await runReceive({
        port: flags.port as number,
        username: flags.username as string | undefined,
        accessSecret: flags.accessSecret as string | undefined,
        record: flags.record === true ? undefined : (flags.record as string | false),
        endpoint: flags.endpoint === true ? undefined : (flags.endpoint as string | false),
        unmapped: flags.unmapped as UnmappedMode,
        olderThan30Days: flags.olderThan30Days as OldEventMode,
        seed: flags.seed as number | undefined,
        quiet: flags.quiet as boolean | undefined,
        faults: {
          rate429: flags.rate429 as number,
          retryAfterSeconds: flags.retryAfter as number | undefined,
          rate500: flags.rate500 as number,
          rateDrop: flags.rateDrop as number,
          rateSlow: flags.rateSlow as number,
          slowMs: flags.slowMs as number
        }
      })
      setExitCode(EXIT_OK)
    })

  const studio = program
    .command('studio')
    .description(
      'Open a local web page to paste events, edit the Movable Ink event mappings, see each event checked as preview does, send a test event, and export a report.'
    )
    .argument('[files...]', 'event files or folders to start with (more can be pasted or dropped on the page)')
  addSettingsOptions(studio)
    .option(
      '--endpoint <file>',
      'the endpoint file to edit: event mappings (default: examples/movable-ink-endpoint.json)'
    )
    .option('--mapping <file>', 'a mapping (Segment mapping JSON) or subscription(s) to check with')
    .option('--port <port>', 'port on 127.0.0.1 (0: any free port)', integer(0, 65535), 0)
    .action(async (files: string[], flags: Omit<RunStudioOptions, 'files'>) => {
      const running = await runStudio({ ...flags, files })
      await new Promise<void>((done) => process.once('SIGINT', done))
      await running.close()
      setExitCode(EXIT_OK)
    })

  program
    .command('demo')
    .description('What npm start runs: deliver the bundled example events to the embedded stand-in, no account needed.')
    .option('--record <file>', 'where the stand-in stores what it receives')
    .action(async (flags: { record?: string }) => {
      const demo = await runDemo(EXAMPLES_DIR, flags.record)
      process.stdout.write(
        'Next: movable-ink preview examples/events/06-order-completed.json, or movable-ink send --help.\n'
      )
      setExitCode(demo.asExpected ? EXIT_OK : EXIT_FAILED)
    })

  return program
}

/** Secrets given on the command line or in the environment, to keep them out of error messages. */
function redactorFor(argv: string[]): Redactor {
  const redactor = new Redactor()
  const flag = argv.findIndex((arg) => arg === '--access-secret' || arg.startsWith('--access-secret='))
  const fromFlag =
    flag === -1 ? undefined : argv[flag].includes('=') ? argv[flag].slice(argv[flag].indexOf('=') + 1) : argv[flag + 1]
  const user = argv.findIndex((arg) => arg === '--username')
  const username = user === -1 ? process.env.MOVABLE_INK_USERNAME : argv[user + 1]
  redactor.add(username, fromFlag)
  redactor.add(username, process.env.MOVABLE_INK_ACCESS_SECRET)
  return redactor
}

export async function main(argv: string[]): Promise<number> {
  const redactor = redactorFor(argv)
  let exitCode = EXIT_OK
  const program = buildProgram((code) => (exitCode = code))
  try {
    await program.parseAsync(argv)
    return exitCode
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return EXIT_OK
      return EXIT_USAGE
    }
    if (error instanceof UsageError) {
      process.stderr.write(`movable-ink: ${redactor.redact(error.message)}\n`)
      return EXIT_USAGE
    }
    process.stderr.write(`movable-ink: ${redactor.redact((error as Error)?.message ?? String(error))}\n`)
    return EXIT_FAILED
  }
}

if (require.main === module) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code
    },
    (error: Error) => {
      process.stderr.write(`movable-ink: ${error.message}\n`)
      process.exitCode = EXIT_FAILED
    }
  )
}
