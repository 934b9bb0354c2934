import type { Command } from 'commander'
import { Option } from 'commander'
import { closeJqEngine, DEFAULT_ENDPOINT_FILE, keepSpareJqWorker, loadEndpointFile } from '../../endpointModel'
import type { CompiledEndpoint } from '../../endpointModel'
import { settingsFromOptions } from '../../runtime/settings'
import type { OldEventMode, UnmappedMode } from '../../standIn/checks'
import type { Faults } from '../../standIn/faults'
import { checkOutputsApart } from '../../io/outputsApart'
import { defaultRecordFile } from '../../standIn/record'
import { startStandIn } from '../../standIn/standIn'
import { formatStats } from '../../standIn/stats'
import { addCredentials } from '../context'
import type { CommandContext } from '../context'
import { EXIT_OK, UsageError } from '../exitCodes'
import { addJqDeadlineOption, integer, share } from '../options'
import { untilStopSignal } from '../signals'

/** `receive`: the stand-in as a command, until a stop signal, then its counts. */

interface ReceiveFlags {
  port: number
  username?: string
  accessSecret?: string
  /** A file, false for none (--no-record), undefined for the default file. */
  record?: string | false
  /** An endpoint file, false for none (--no-endpoint: every event stored), undefined for the default file. */
  endpoint?: string | false
  unmapped: UnmappedMode
  olderThan30Days: OldEventMode
  rate429: number
  retryAfter?: number
  rate500: number
  rateDrop: number
  rateSlow: number
  slowMs: number
  seed?: number
  quiet?: boolean
  jqDeadlineMs?: number
}

function describe(program: Command): Command {
  return program
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
}

function faultsOf(flags: ReceiveFlags): Faults {
  const { rate429, rate500, rateDrop, rateSlow, slowMs } = flags
  if (rate429 + rate500 + rateDrop + rateSlow > 1) throw new UsageError('The fault shares add up to more than 1.')
  return { rate429, retryAfterSeconds: flags.retryAfter, rate500, rateDrop, rateSlow, slowMs }
}

function mappingsNote(endpoint: CompiledEndpoint | undefined, flags: ReceiveFlags): string {
  if (!endpoint) return 'no event mappings (--no-endpoint): every event is stored'
  return (
    `event mappings from ${endpoint.source ?? 'the endpoint file'} ` +
    `(unmapped events: ${flags.unmapped}; older than 30 days: ${flags.olderThan30Days})`
  )
}

async function runReceiveCommand(flags: ReceiveFlags, context: CommandContext): Promise<void> {
  const given = settingsFromOptions({ username: flags.username, accessSecret: flags.accessSecret }, context.env)
  if (!given.username || !given.password)
    throw new UsageError(
      'The stand-in needs the credentials to accept: --username and --access-secret (or MOVABLE_INK_USERNAME and MOVABLE_INK_ACCESS_SECRET).'
    )
  addCredentials(context, given.username, given.password)
  const faults = faultsOf(flags)
  const record = flags.record ?? defaultRecordFile()
  // The record is appended to for as long as the stand-in runs: never into the endpoint file it reads.
  if (record && typeof flags.endpoint === 'string')
    checkOutputsApart([{ path: record, what: 'The record (--record)' }], [flags.endpoint])
  // A server: after a runaway, the next client's event should not wait for a jq worker to start.
  keepSpareJqWorker(true)
  const endpoint =
    flags.endpoint === false
      ? undefined
      : await loadEndpointFile(flags.endpoint ?? DEFAULT_ENDPOINT_FILE, { deadlineMs: flags.jqDeadlineMs })
  const out = (line: string) => context.out.write(line + '\n')
  const standIn = await startStandIn({
    port: flags.port,
    seed: flags.seed,
    unmapped: flags.unmapped,
    olderThan30Days: flags.olderThan30Days,
    username: given.username,
    password: given.password,
    record,
    faults,
    endpoint,
    log: flags.quiet ? undefined : out
  })
  // Listening for the stop signals before saying it is ready: a signal right after the first line stops it cleanly.
  const stopped = untilStopSignal()
  out(`listening on http://127.0.0.1:${standIn.port}`)
  const recording = record ? `recording accepted requests in ${record}` : 'not recording'
  out(`post events to ${standIn.url} with basic auth; ${mappingsNote(endpoint, flags)}; ${recording}; Ctrl-C stops`)
  await stopped
  // jq may be stuck on an event until its deadline: its workers go first, so the stand-in's close is quick.
  closeJqEngine()
  await standIn.close()
  out(`stopped: ${formatStats(standIn.stats)}`)
  context.setExitCode(EXIT_OK)
}

export function registerReceive(program: Command, context: CommandContext): void {
  addJqDeadlineOption(describe(program)).action((flags: ReceiveFlags) => runReceiveCommand(flags, context))
}
