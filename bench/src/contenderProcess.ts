/**
 * A contender's long-lived process (worker.ts) as main.js sees it: started once, then asked for a round at a
 * time; what it reports accumulates here until the run summarizes it.
 */
import { fork } from 'child_process'
import type { ChildProcess } from 'child_process'
import path from 'path'
import { exited, nextMessage, track } from './childProcesses'
import { BENCH_CREDENTIALS } from './credentials'
import type { ContenderChoice, Workload } from './options'
import { OUT_DIR } from './paths'
import type { ContenderId, RoundFigures } from './results'
import type { ReadyReply, RoundReply, RoundRequest, WorkerInit } from './workerProtocol'

export interface Contender {
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

/** The contender's Node flags: the run's extra ones, and a CPU profile per contender with --profile. */
function contenderExecArgv(id: ContenderId, choice: Pick<ContenderChoice, 'profile' | 'nodeFlags'>): string[] {
  const profile = [
    '--cpu-prof',
    '--cpu-prof-dir',
    path.join(OUT_DIR, 'profiles'),
    '--cpu-prof-name',
    `${id}.cpuprofile`
  ]
  return [...choice.nodeFlags, ...(choice.profile ? profile : [])]
}

export async function startContender(
  id: ContenderId,
  workload: Pick<Workload, 'poolSize' | 'batchSize'>,
  choice: Pick<ContenderChoice, 'profile' | 'nodeFlags'>,
  url: string
): Promise<Contender> {
  const init: WorkerInit = {
    contender: id,
    url,
    ...BENCH_CREDENTIALS,
    poolSize: workload.poolSize,
    batchSize: workload.batchSize
  }
  const child = track(
    fork(path.join(__dirname, 'worker.js'), [JSON.stringify(init)], {
      execArgv: contenderExecArgv(id, choice),
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

/** One round of `contender` with `concurrency` in flight for `seconds`; its peak RSS and first errors are kept. */
export async function runContenderRound(
  contender: Contender,
  roundNumber: number,
  concurrency: number,
  seconds: number
): Promise<RoundFigures> {
  const durationMs = Math.round(seconds * 1000)
  const reply = nextMessage<RoundReply>(contender.child, 'round', durationMs + 120_000, contender.id)
  const request: RoundRequest = { type: 'round', round: roundNumber, durationMs, concurrency }
  contender.child.send(request)
  const message = await reply
  contender.peakRssBytes = Math.max(contender.peakRssBytes, message.peakRssBytes)
  if (message.firstError && contender.errors.length < 5) contender.errors.push(message.firstError)
  return message.figures
}

export async function stopContenders(contenders: Contender[]): Promise<void> {
  for (const contender of contenders) contender.child.send({ type: 'exit' })
  await Promise.all(contenders.map((c) => exited(c.child)))
}
