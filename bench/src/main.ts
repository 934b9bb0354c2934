/**
 * `npm run bench`: delivery throughput, latency and memory of this project against Segment's published
 * Movable Ink destination and against the bare HTTP client, side by side in one run, plus `movable-ink send`
 * of a large JSON Lines file. See bench/README.md.
 */
import { fork, spawn } from 'child_process'
import type { ChildProcess } from 'child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'fs'
import os from 'os'
import path from 'path'
import { performance } from 'perf_hooks'
import { computeRatios, round, roundOrder, summarizeContender } from './stats'
import { CONTENDER_IDS, writeResults } from './results'
import type { ContenderId, ContenderResult, Results, RoundFigures, SendResult } from './results'
import { computeCostSplit, evaluateTargets } from './targets'
import { formatTables } from './tables'
import { ensureJsonl, freeBytes, removeJsonl } from './jsonl'
import type { JsonlFile } from './jsonl'
import { makeEvents } from './events'
import { measureBreakdown, measureRuntimeDispatch } from './breakdown'
import { measureEndpointModel } from './endpointCost'
import type { ReadyReply, RoundReply, WorkerInit } from './workerProtocol'
import { CLI, DEFAULT_RESULTS_FILE, OUT_DIR, ROOT } from './paths'

const USERNAME = 'bench-user'
const PASSWORD = 'bench-secret'

export const LABELS: Record<ContenderId, { label: string; description: string }> = {
  reference: {
    label: '1 reference (Segment, 1 event/request)',
    description:
      "@segment/action-destinations' Movable Ink destination through actions-core Destination.onEvent, one event per request"
  },
  project: {
    label: '2 project (1 event/request, all checks)',
    description:
      "This project's destination (dist/) through actions-core Destination.onEvent, one event per request, every check on"
  },
  batched: {
    label: '3 project batched (100 events/request)',
    description:
      "This project's destination through actions-core Destination.onBatch with enable_batching and batch_size 100; each event's latency is its request's latency"
  },
  limit: {
    label: '4 limit (bare fetch loop, no runtime)',
    description:
      "actions-core's own fetch (node-fetch v2 over node:http, the runtime's HTTP client) posting pre-serialized bodies with basic auth, no runtime"
  },
  client: {
    label: '5 context: request client, no Destination',
    description:
      "actions-core's createRequestClient with basic auth (what extendRequest sets up) posting the same pre-serialized bodies: the runtime's request client without Destination.onEvent"
  }
}

interface Options {
  quick: boolean
  rounds: number
  seconds: number
  warmupSeconds: number
  concurrency: number
  poolSize: number
  batchSize: number
  sendEvents: number
  sendBatch: number
  skipSend: boolean
  keepJsonl: boolean
  receiver: 'minimal' | 'cli'
  sendReceiver: 'minimal' | 'cli' | 'auto'
  profile: boolean
  /** Extra Node flags for every contender process alike (for experiments, e.g. --max-semi-space-size=64). */
  nodeFlags: string[]
  only: ContenderId[]
  /** Only the in-process breakdown, printed as JSON; nothing else runs and results.json is not written. */
  breakdownOnly: boolean
  out: string
}

function parseArgs(argv: string[]): Options {
  const quick = argv.includes('--quick')
  const value = (name: string): string | undefined => {
    const i = argv.findIndex((a) => a === name || a.startsWith(name + '='))
    if (i < 0) return undefined
    return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1]
  }
  const num = (name: string, fallback: number) => {
    const v = value(name)
    const n = v === undefined ? fallback : Number(v)
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} needs a number, got ${v}`)
    return n
  }
  const receiver = value('--receiver') ?? 'minimal'
  if (receiver !== 'minimal' && receiver !== 'cli') throw new Error('--receiver is minimal or cli')
  const sendReceiver = value('--send-receiver') ?? 'auto'
  if (sendReceiver !== 'minimal' && sendReceiver !== 'cli' && sendReceiver !== 'auto')
    throw new Error('--send-receiver is auto, minimal or cli')
  // --send-only: no contenders, only `send` (with and without the journal, and batched unless --send-batch 0).
  const sendOnly = argv.includes('--send-only')
  const only = (
    sendOnly ? [] : (value('--only') ?? CONTENDER_IDS.join(',')).split(',').filter(Boolean)
  ) as ContenderId[]
  for (const id of only) if (!CONTENDER_IDS.includes(id)) throw new Error(`--only: unknown contender ${id}`)
  return {
    quick,
    rounds: sendOnly ? 0 : num('--rounds', quick ? 3 : 7),
    seconds: num('--seconds', quick ? 1 : 3),
    warmupSeconds: num('--warmup', quick ? 0.5 : 1.5),
    concurrency: num('--concurrency', 16),
    poolSize: num('--pool', quick ? 2000 : 10_000),
    batchSize: num('--batch-size', 100),
    sendEvents: num('--send-events', quick ? 20_000 : 1_000_000),
    sendBatch: num('--send-batch', 100),
    skipSend: argv.includes('--skip-send'),
    keepJsonl: argv.includes('--keep-jsonl'),
    receiver,
    sendReceiver,
    profile: argv.includes('--profile'),
    nodeFlags: (value('--node-flags') ?? '').split(' ').filter(Boolean),
    only,
    breakdownOnly: argv.includes('--breakdown-only'),
    out: path.resolve(value('--out') ?? DEFAULT_RESULTS_FILE)
  }
}

const children = new Set<ChildProcess>()
function track(child: ChildProcess): ChildProcess {
  children.add(child)
  child.on('exit', () => children.delete(child))
  return child
}
function killChildren() {
  for (const child of children) child.kill('SIGTERM')
}
process.on('exit', killChildren)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killChildren()
    process.exit(130)
  })
}

function log(line: string) {
  process.stdout.write(line + '\n')
}

/** The next IPC message of `type` from `child`, or an error after `ms` or if the child exits. */
function nextMessage<T>(child: ChildProcess, type: string, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${what}: no "${type}" message within ${ms} ms`)), ms)
    const onMessage = (message: { type?: string; error?: string }) => {
      if (message?.type === type) done(undefined, message as T)
      else if (message?.type === 'error') done(new Error(`${what}: ${message.error}`))
    }
    const onExit = (code: number | null) => done(new Error(`${what}: exited (code ${code}) before "${type}"`))
    function done(error?: Error, message?: T) {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
      if (error) reject(error)
      else resolve(message as T)
    }
    child.on('message', onMessage)
    child.on('exit', onExit)
  })
}

/** The first stdout line of `child` matching `pattern`, or an error after `ms`. */
function firstMatchingLine(child: ChildProcess, pattern: RegExp, ms: number, what: string): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => finish(new Error(`${what}: no line matching ${pattern} within ${ms} ms`)), ms)
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString()
      for (const line of buffered.split('\n')) {
        const match = line.match(pattern)
        if (match) return finish(undefined, match)
      }
    }
    const onExit = (code: number | null) =>
      finish(new Error(`${what}: exited (code ${code}): ${buffered.slice(0, 500)}`))
    function finish(error?: Error, match?: RegExpMatchArray) {
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.off('exit', onExit)
      if (error) reject(error)
      else resolve(match as RegExpMatchArray)
    }
    child.stdout?.on('data', onData)
    child.on('exit', onExit)
  })
}

interface ReceiverStats {
  requests: number
  bytes: number
  badAuth: number
  notPost: number
  connections: number
}

interface Receiver {
  kind: 'minimal' | 'cli'
  url: string
  child: ChildProcess
  /** Request counts, for the minimal receiver only. */
  stats?: () => Promise<ReceiverStats>
}

async function startReceiver(kind: 'minimal' | 'cli'): Promise<Receiver> {
  if (kind === 'cli') {
    const child = track(
      spawn(
        process.execPath,
        // --no-endpoint: a plain sink; evaluating every event's jq would measure jq-web, not the sender.
        [
          CLI,
          'receive',
          '--port',
          '0',
          '--no-record',
          '--quiet',
          '--no-endpoint',
          '--username',
          USERNAME,
          '--access-secret',
          PASSWORD
        ],
        {
          stdio: ['ignore', 'pipe', 'inherit']
        }
      )
    )
    const match = await firstMatchingLine(
      child,
      /listening on (http:\/\/127\.0\.0\.1:\d+)/,
      20_000,
      'movable-ink receive'
    )
    child.stdout?.resume()
    return { kind, url: `${match[1]}/behavioral/local-stand-in`, child }
  }
  const child = track(
    fork(path.join(__dirname, 'receiver.js'), ['--port', '0', '--username', USERNAME, '--access-secret', PASSWORD], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc']
    })
  )
  const { port } = await nextMessage<{ port: number }>(child, 'listening', 20_000, 'receiver')
  return {
    kind,
    url: `http://127.0.0.1:${port}/events`,
    child,
    stats: async () => {
      const reply = nextMessage<{ stats: ReceiverStats }>(child, 'stats', 10_000, 'receiver')
      child.send({ type: 'stats' })
      return (await reply).stats
    }
  }
}

interface Contender {
  id: ContenderId
  child: ChildProcess
  baselineRssBytes: number
  peakRssBytes: number
  rounds: RoundFigures[]
  errors: string[]
  connectionsOpened: number
  receiverCpuUs: number
  receiverWallMs: number
}

async function startContender(id: ContenderId, options: Options, url: string): Promise<Contender> {
  const init: WorkerInit = {
    contender: id,
    url,
    username: USERNAME,
    password: PASSWORD,
    poolSize: options.poolSize,
    batchSize: options.batchSize
  }
  const execArgv = [
    ...options.nodeFlags,
    ...(options.profile
      ? ['--cpu-prof', '--cpu-prof-dir', path.join(OUT_DIR, 'profiles'), '--cpu-prof-name', `${id}.cpuprofile`]
      : [])
  ]
  const child = track(
    fork(path.join(__dirname, 'worker.js'), [JSON.stringify(init)], {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
  )
  const ready = await nextMessage<ReadyReply>(child, 'ready', 60_000, id)
  return {
    id,
    child,
    baselineRssBytes: ready.baselineRssBytes,
    peakRssBytes: 0,
    rounds: [],
    errors: [],
    connectionsOpened: 0,
    receiverCpuUs: 0,
    receiverWallMs: 0
  }
}

async function runContenderRound(contender: Contender, roundNumber: number, options: Options, seconds: number) {
  const durationMs = Math.round(seconds * 1000)
  const reply = nextMessage<RoundReply>(contender.child, 'round', durationMs + 120_000, contender.id)
  contender.child.send({ type: 'round', round: roundNumber, durationMs, concurrency: options.concurrency })
  const message = await reply
  contender.peakRssBytes = Math.max(contender.peakRssBytes, message.peakRssBytes)
  if (message.firstError && contender.errors.length < 5) contender.errors.push(message.firstError)
  return message.figures
}

function machine(): Results['machine'] {
  const cpus = os.cpus()
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    totalMemoryBytes: os.totalmem()
  }
}

/** CPU time (user + system) a live process has used so far, in µs, from /proc; undefined without /proc. */
function procCpuUs(pid: number | undefined): number | undefined {
  if (!pid) return undefined
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // fields[11] and [12] are utime and stime (fields 14 and 15 of proc(5)), in clock ticks (USER_HZ, 100 on Linux)
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100
  } catch {
    return undefined
  }
}

/** VmHWM (peak RSS) of a live process, from /proc; undefined where /proc is not there. */
function vmHwmBytes(pid: number): number | undefined {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+)\s+kB/m)
    return match ? Number(match[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

function cliHasSend(): { ok: boolean; reason?: string } {
  if (!existsSync(CLI))
    return { ok: false, reason: `send: not available yet (${path.relative(ROOT, CLI)} does not exist after the build)` }
  return { ok: true }
}

async function prepareSendFile(options: Options): Promise<{ file?: JsonlFile; skipped?: SendResult }> {
  const available = cliHasSend()
  if (!available.ok) return { skipped: { status: 'skipped', reason: available.reason } }
  const expectedBytes = options.sendEvents * 1300
  const free = freeBytes(OUT_DIR)
  if (free < expectedBytes * 1.5) {
    return {
      skipped: {
        status: 'skipped',
        reason: `send: not enough disk for ${options.sendEvents} events (${Math.round(
          free / 1e6
        )} MB free in bench/out)`
      }
    }
  }
  const t0 = performance.now()
  const file = await ensureJsonl(OUT_DIR, options.sendEvents)
  log(
    `send: ${file.reused ? 'reusing' : 'wrote'} ${path.relative(ROOT, file.path)} (${file.count.toLocaleString(
      'en-US'
    )} events, ${(file.bytes / 1e6).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`
  )
  return { file }
}

async function runSend(
  options: Options,
  receiverKind: 'minimal' | 'cli',
  file: JsonlFile,
  batch: number,
  journal: boolean
): Promise<SendResult> {
  const receiver = await startReceiver(receiverKind)
  const summaryPath = path.join(OUT_DIR, 'send-summary.json')
  const journalPath = path.join(OUT_DIR, 'send-journal.jsonl')
  rmSync(summaryPath, { force: true })
  rmSync(journalPath, { force: true })
  const args = [
    CLI,
    'send',
    file.path,
    '--url',
    receiver.url,
    '--username',
    USERNAME,
    '--access-secret',
    PASSWORD,
    '--concurrency',
    String(options.concurrency),
    ...(batch > 0 ? ['--batch', String(batch)] : []),
    // The generated events are dated from May 2025: Movable Ink's 30-day window would hold them all back.
    '--max-age-days',
    '0',
    ...(journal ? ['--journal', journalPath] : ['--no-journal']),
    '--summary-json',
    summaryPath,
    '--quiet'
  ]
  const started = performance.now()
  const child = track(spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] }))
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  let peak = 0
  let cpuUs = 0
  const poll = setInterval(() => {
    const hwm = child.pid ? vmHwmBytes(child.pid) : undefined
    if (hwm !== undefined) peak = Math.max(peak, hwm)
    const cpu = procCpuUs(child.pid)
    if (cpu !== undefined) cpuUs = Math.max(cpuUs, cpu)
  }, 50)
  const timeoutMs = Math.max(120_000, options.sendEvents * 2)
  const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs)
  const code: number | null = await new Promise((resolve) => child.on('exit', (c) => resolve(c)))
  clearTimeout(timer)
  clearInterval(poll)
  const wallMs = performance.now() - started
  rmSync(journalPath, { force: true })
  const receiverStats = receiver.stats ? await receiver.stats().catch(() => undefined) : undefined
  receiver.child.kill('SIGTERM')
  const base: SendResult = {
    status: 'ok',
    events: file.count,
    fileBytes: file.bytes,
    concurrency: options.concurrency,
    batch: batch || undefined,
    journal,
    receiver:
      receiver.kind === 'cli' ? 'movable-ink receive --no-record --quiet' : 'minimal (bench/out/bench/src/receiver.js)',
    wallMs: round(wallMs, 0)
  }
  if (code !== 0) {
    return {
      ...base,
      status: 'failed',
      reason: `send exited with code ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`
    }
  }
  let summary: Record<string, unknown> | undefined
  try {
    summary = JSON.parse(readFileSync(summaryPath, 'utf8'))
  } catch (error) {
    return { ...base, status: 'failed', reason: `no readable --summary-json: ${String(error)}` }
  }
  const childPeak = Number(summary?.peakRssBytes)
  const result: SendResult = {
    ...base,
    // Over the process's whole life (start-up and reading included): the conservative figure.
    eventsPerSecond: round((file.count / wallMs) * 1000, 0),
    // CPU time is less sensitive than events/s to other load on the machine while `send` runs alone.
    cpuUsPerEvent: cpuUs > 0 ? round(cpuUs / file.count, 1) : undefined,
    // The larger of our poll of VmHWM and the process's own figure: a poll can miss the last 50 ms.
    peakRssBytes: Math.max(peak, Number.isFinite(childPeak) ? childPeak : 0),
    summary: {
      ...summary,
      ...(receiverStats ? { receiverRequests: receiverStats.requests, receiverBadAuth: receiverStats.badAuth } : {})
    }
  }
  if (Number(summary?.sent) !== file.count || Number(summary?.failed) > 0) {
    result.reason = `send reported sent=${String(summary?.sent)} failed=${String(summary?.failed)} of ${file.count}`
  }
  return result
}

async function main() {
  const argv = process.argv.slice(2)
  const options = parseArgs(argv)
  mkdirSync(OUT_DIR, { recursive: true })
  const runStarted = performance.now()
  const notes: string[] = []
  const sample = makeEvents(Math.min(options.poolSize, 2000))
  const avgEventBytes = round(
    sample.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e)), 0) / sample.length,
    0
  )

  // Our own per-event work, in isolation, before any process competes for the CPU.
  const breakdown = measureBreakdown(sample, 'http://127.0.0.1:1/events', options.quick ? 500 : 2000)
  if (!('error' in breakdown)) {
    breakdown.runtimeDispatchUs = await measureRuntimeDispatch(sample, options.quick ? 500 : 2000)
    breakdown.endpointModel = await measureEndpointModel(sample, options.quick ? 500 : 2000)
  }
  log(
    'error' in breakdown
      ? breakdown.error
      : `our code alone: ${breakdown.projectSingleUs} µs/event single (JSON.stringify alone ${
          breakdown.stringifyUs
        } µs, so checks ${breakdown.checksUs} µs), ${
          breakdown.projectBatchUs
        } µs/event batched; actions-core dispatch without a request ${breakdown.runtimeDispatchUs ?? '-'} µs/event`
  )
  const jq = 'error' in breakdown ? undefined : breakdown.endpointModel
  log(
    jq
      ? `Movable Ink's side (jq, default endpoint file, ${Math.round(jq.mappedShare * 100)}% mapped): ` +
          `jq-web load ${jq.jqLoadMs} ms, compile ${jq.compileMs} ms, ${jq.singleUs} µs/event one by one, ` +
          `${jq.batchUs} µs/event in runs of 100`
      : "Movable Ink's side: not measured (the endpoint model failed)"
  )
  if (options.breakdownOnly) {
    process.stdout.write(JSON.stringify(breakdown, null, 2) + '\n')
    return
  }

  if (options.receiver === 'cli' && !existsSync(CLI))
    throw new Error('--receiver cli: dist/cli/main.js does not exist yet')
  const receiver = await startReceiver(options.receiver)
  log(
    `receiver: ${receiver.kind === 'cli' ? 'movable-ink receive --no-record --quiet' : 'minimal bench receiver'} at ${
      receiver.url
    } (pid ${receiver.child.pid})`
  )

  const ids = CONTENDER_IDS.filter((id) => options.only.includes(id))
  const contenders = await Promise.all(ids.map((id) => startContender(id, options, receiver.url)))
  log(
    `contenders: ${ids.join(', ')}; ${options.rounds} rounds of ${options.seconds} s each, concurrency ${
      options.concurrency
    }, ` + `${options.poolSize} events (avg ${avgEventBytes} B) cycled, batch size ${options.batchSize}`
  )

  for (const contender of contenders) await runContenderRound(contender, 0, options, options.warmupSeconds)
  for (const contender of contenders) contender.errors = []

  let receiverMismatch = false
  for (let r = 1; r <= options.rounds; r++) {
    const cells: string[] = []
    for (const contender of roundOrder(contenders, r - 1)) {
      const before = receiver.stats ? await receiver.stats() : undefined
      const cpuBefore = procCpuUs(receiver.child.pid)
      const figures = await runContenderRound(contender, r, options, options.seconds)
      const cpuAfter = procCpuUs(receiver.child.pid)
      if (cpuBefore !== undefined && cpuAfter !== undefined) {
        contender.receiverCpuUs += cpuAfter - cpuBefore
        contender.receiverWallMs += figures.elapsedMs
      }
      if (receiver.stats && before) {
        const after = await receiver.stats()
        contender.connectionsOpened += after.connections - before.connections
        if (after.requests - before.requests !== figures.requests || after.badAuth !== before.badAuth) {
          receiverMismatch = true
          notes.push(
            `round ${r} ${contender.id}: the receiver counted ${after.requests - before.requests} requests (${
              after.badAuth - before.badAuth
            } with wrong credentials), the contender ${figures.requests}`
          )
        }
      }
      contender.rounds.push(figures)
      cells.push(
        `${contender.id} ${Math.round(figures.eventsPerSecond).toLocaleString('en-US')}/s${
          figures.failed ? ` (${figures.failed} failed)` : ''
        }`
      )
    }
    log(`round ${r}/${options.rounds}: ${cells.join(', ')}`)
  }
  const results: Partial<Record<ContenderId, ContenderResult>> = {}
  for (const c of contenders) {
    results[c.id] = summarizeContender(
      LABELS[c.id].label,
      LABELS[c.id].description,
      c.rounds,
      c.peakRssBytes,
      c.baselineRssBytes
    )
    const result = results[c.id] as ContenderResult
    if (receiver.stats) result.connectionsOpened = c.connectionsOpened
    const requests = c.rounds.reduce((sum, r) => sum + r.requests, 0)
    if (c.receiverWallMs > 0 && requests > 0) {
      result.receiverCpuUsPerRequest = round(c.receiverCpuUs / requests, 1)
      result.receiverCpuShare = round(c.receiverCpuUs / 1000 / c.receiverWallMs, 2)
    }
    if (c.errors.length) notes.push(`${c.id} failures, first: ${c.errors.join(' || ')}`)
  }
  if (!receiverMismatch && receiver.stats && contenders.length > 0)
    notes.push('The receiver counted exactly the requests each contender reported, all with the right credentials.')

  // `send` (the CLI) of a large JSON Lines file: one event per request (the target), then batched (context).
  let send: SendResult
  let sendBatched: SendResult | undefined
  let sendNoJournal: SendResult | undefined
  if (options.skipSend) send = { status: 'skipped', reason: 'send: skipped (--skip-send)' }
  else {
    // `send` goes to the stand-in (`movable-ink receive`, as the issue asks) unless told otherwise.
    const sendReceiver = options.sendReceiver === 'auto' ? (existsSync(CLI) ? 'cli' : 'minimal') : options.sendReceiver
    const prepared = await prepareSendFile(options).catch((error): { file?: JsonlFile; skipped?: SendResult } => ({
      skipped: { status: 'failed', reason: String(error) }
    }))
    if (prepared.file) {
      const file = prepared.file
      try {
        send = await runSend(options, sendReceiver, file, 0, true).catch(
          (error): SendResult => ({ status: 'failed', reason: String(error) })
        )
        log(
          `send: ${send.status} ${send.eventsPerSecond ?? '-'} events/s, peak RSS ${
            send.peakRssBytes ? (send.peakRssBytes / 1e6).toFixed(1) : '-'
          } MB`
        )
        // The same without the delivery journal, for what the journal costs.
        sendNoJournal = await runSend(options, sendReceiver, file, 0, false).catch(
          (error): SendResult => ({ status: 'failed', reason: String(error) })
        )
        log(`send --no-journal: ${sendNoJournal.status} ${sendNoJournal.eventsPerSecond ?? '-'} events/s`)
        if (options.sendBatch > 0) {
          sendBatched = await runSend(options, sendReceiver, file, options.sendBatch, true).catch(
            (error): SendResult => ({ status: 'failed', reason: String(error) })
          )
          log(
            `send --batch ${options.sendBatch}: ${sendBatched.status} ${
              sendBatched.eventsPerSecond ?? '-'
            } events/s, peak RSS ${sendBatched.peakRssBytes ? (sendBatched.peakRssBytes / 1e6).toFixed(1) : '-'} MB`
          )
        }
      } finally {
        if (!options.keepJsonl) removeJsonl(file.path)
      }
      // The send ran alone, not interleaved: one more round of the project contender right after it shows
      // how far the machine drifted meanwhile.
      const project = contenders.find((c) => c.id === 'project')
      if (project && send.status === 'ok') {
        const after = await runContenderRound(project, options.rounds + 1, options, options.seconds)
        send.projectEventsPerSecondAfterSend = after.eventsPerSecond
        log(`project round after send: ${Math.round(after.eventsPerSecond).toLocaleString('en-US')}/s`)
      }
    } else send = prepared.skipped as SendResult
  }
  if (send.reason) log(send.reason)
  if (sendBatched?.reason) log(sendBatched.reason)

  for (const contender of contenders) contender.child.send({ type: 'exit' })
  await Promise.all(
    contenders.map(
      (c) => new Promise((resolve) => (c.child.exitCode !== null ? resolve(null) : c.child.once('exit', resolve)))
    )
  )
  receiver.child.kill('SIGTERM')

  const partial = {
    contenders: results,
    ratios: computeRatios(results),
    send,
    ...(sendNoJournal ? { sendNoJournal } : {}),
    ...(sendBatched ? { sendBatched } : {})
  }
  const full: Results = {
    generatedAt: new Date().toISOString(),
    command: `npm run bench${argv.length ? ' -- ' + argv.join(' ') : ''}`,
    quick: options.quick,
    machine: machine(),
    config: {
      rounds: options.rounds,
      secondsPerContenderPerRound: options.seconds,
      warmupSeconds: options.warmupSeconds,
      concurrency: options.concurrency,
      contenderNodeFlags: options.nodeFlags,
      concurrencyMeaning: 'requests in flight (onEvent calls, onBatch calls or fetches), the same for every contender',
      eventPool: options.poolSize,
      averageEventBytes: avgEventBytes,
      eventMix: '40% Product Viewed, 20% Product Added, 20% Order Completed (2 products), 20% identify with traits',
      batchSize: options.batchSize,
      receiver:
        receiver.kind === 'cli'
          ? 'movable-ink receive --no-record (separate process, loopback)'
          : 'minimal Node http server (separate process, loopback), answers 200 {}',
      figures:
        'events/s, p50 and p99: medians over the rounds; ratios: medians of the per-round ratios; peak RSS: the contender process maxrss',
      wallSeconds: 0
    },
    ...partial,
    targets: evaluateTargets(partial),
    breakdown: 'error' in breakdown ? undefined : breakdown,
    costSplit: computeCostSplit(results, 'error' in breakdown ? undefined : breakdown),
    notes
  }
  full.config.wallSeconds = round((performance.now() - runStarted) / 1000, 1)
  writeResults(options.out, full)
  log('')
  log(formatTables(full))
  log('')
  for (const note of notes) log(`note: ${note}`)
  log(`results: ${path.relative(process.cwd(), options.out)} (wall ${full.config.wallSeconds} s)`)
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error instanceof Error ? error.stack : error)
      process.exit(1)
    }
  )
}
