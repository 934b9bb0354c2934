/**
 * One contender in its own process (so that its peak RSS is its own), driven round by round by main.js over
 * IPC (workerProtocol.ts). Each round keeps `concurrency` requests in flight for `durationMs`, over the same
 * event pool in the same order for every contender, and reports events per second, per-event latency
 * p50/p99 and failures. The contenders are in units.ts.
 */
import { makeEvents } from './events'
import { runRound } from './runRound'
import type { Unit } from './runRound'
import { errorText, makeUnits } from './units'
import type { ErrorReply, ExitRequest, ReadyReply, RoundReply, RoundRequest, WorkerInit } from './workerProtocol'

function reply(message: ReadyReply | RoundReply | ErrorReply): void {
  process.send?.(message)
}

function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024
}

function answerRound(units: Unit[], request: RoundRequest): void {
  runRound(units, request.concurrency, request.durationMs, request.round).then(
    ({ figures, firstError }) =>
      reply({ type: 'round', figures, firstError, peakRssBytes: peakRssBytes(), rssBytes: process.memoryUsage.rss() }),
    (error) => reply({ type: 'error', error: errorText(error) })
  )
}

async function main() {
  const init = JSON.parse(process.argv[2]) as WorkerInit
  const events = makeEvents(init.poolSize)
  const units = await makeUnits(init, events)
  reply({ type: 'ready', units: units.length, baselineRssBytes: process.memoryUsage.rss() })
  process.on('message', (message: RoundRequest | ExitRequest) => {
    // process.exit still writes the --cpu-prof profile; idle keep-alive sockets would keep us alive.
    if (message.type === 'exit') process.exit(0)
    if (message.type === 'round') answerRound(units, message)
  })
}

if (require.main === module) {
  main().catch((error) => {
    reply({ type: 'error', error: errorText(error) })
    process.exitCode = 1
  })
}
