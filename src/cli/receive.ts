import type { CompiledEndpoint } from '../endpointModel'
import { loadEndpoint } from './preview'
import { settingsFromOptions, UsageError } from './settings'
import { defaultRecordFile, startStandIn } from './standIn'
import type { Faults, OldEventMode, StandInStats, UnmappedMode } from './standIn'

/** `receive`: the stand-in as a command, until Ctrl-C, then its counts. */

export interface ReceiveOptions {
  port: number
  username?: string
  accessSecret?: string
  /** A file, false for none, undefined for the default file. */
  record?: string | false
  /** An endpoint file, false for none (every event stored), undefined for the default file. */
  endpoint?: string | false
  unmapped: UnmappedMode
  olderThan30Days: OldEventMode
  faults: Faults
  seed?: number
  quiet?: boolean
}

export function formatStats(stats: StandInStats): string {
  const { requests, accepted, events, duplicates, dropped, refusedEvents, byStatus } = stats
  return (
    `${requests} requests, ${accepted} accepted: ${events} events stored (${duplicates} duplicates by messageId), ` +
    `${dropped} dropped as too old, ${refusedEvents} in refused requests; by status: ${JSON.stringify(byStatus)}`
  )
}

function mappingsNote(endpoint: CompiledEndpoint | undefined, options: ReceiveOptions): string {
  if (!endpoint) return 'no event mappings (--no-endpoint): every event is stored'
  return (
    `event mappings from ${endpoint.source ?? 'the endpoint file'} ` +
    `(unmapped events: ${options.unmapped}; older than 30 days: ${options.olderThan30Days})`
  )
}

export async function runReceive(options: ReceiveOptions, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const given = settingsFromOptions({ username: options.username, accessSecret: options.accessSecret })
  if (!given.username || !given.password)
    throw new UsageError(
      'The stand-in needs the credentials to accept: --username and --access-secret (or MOVABLE_INK_USERNAME and MOVABLE_INK_ACCESS_SECRET).'
    )
  const { rate429 = 0, rate500 = 0, rateDrop = 0, rateSlow = 0 } = options.faults
  if (rate429 + rate500 + rateDrop + rateSlow > 1) throw new UsageError('The fault shares add up to more than 1.')
  const record = options.record === undefined ? defaultRecordFile() : options.record
  const endpoint = options.endpoint === false ? undefined : await loadEndpoint(options.endpoint)
  const standIn = await startStandIn({
    port: options.port,
    username: given.username,
    password: given.password,
    record,
    seed: options.seed,
    faults: options.faults,
    endpoint,
    unmapped: options.unmapped,
    olderThan30Days: options.olderThan30Days,
    log: options.quiet ? undefined : (line) => out.write(line + '\n')
  })
  out.write(`listening on http://127.0.0.1:${standIn.port}\n`)
  out.write(
    `post events to ${standIn.url} with basic auth; ${mappingsNote(endpoint, options)}; ` +
      `${record ? `recording accepted requests in ${record}` : 'not recording'}; Ctrl-C stops\n`
  )
  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', () => resolveStop())
    process.once('SIGTERM', () => resolveStop())
  })
  await standIn.close()
  out.write(`stopped: ${formatStats(standIn.stats)}\n`)
}
