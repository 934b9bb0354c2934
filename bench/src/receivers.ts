/**
 * The receiver the contenders and `send` post to, a separate process on 127.0.0.1: the minimal one
 * (receiver.ts, which counts what it gets), or the project's stand-in, `movable-ink receive`.
 */
import { fork, spawn } from 'child_process'
import type { ChildProcess } from 'child_process'
import path from 'path'
import { firstMatchingLine, nextMessage, track } from './childProcesses'
import { BENCH_CREDENTIALS } from './credentials'
import type { ReceiverKind } from './options'
import { CLI } from './paths'

export interface ReceiverStats {
  requests: number
  bytes: number
  badAuth: number
  notPost: number
  connections: number
}

export interface Receiver {
  kind: ReceiverKind
  url: string
  child: ChildProcess
  /** Request counts, for the minimal receiver only. */
  stats?: () => Promise<ReceiverStats>
}

const CREDENTIAL_ARGS = ['--username', BENCH_CREDENTIALS.username, '--access-secret', BENCH_CREDENTIALS.password]

async function startStandIn(): Promise<Receiver> {
  // --no-endpoint: a plain sink; evaluating every event's jq would measure jq-web, not the sender.
  const args = [CLI, 'receive', '--port', '0', '--no-record', '--quiet', '--no-endpoint', ...CREDENTIAL_ARGS]
  const child = track(spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] }))
  const listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/
  const match = await firstMatchingLine(child, listening, 20_000, 'movable-ink receive')
  child.stdout?.resume()
  return { kind: 'cli', url: `${match[1]}/behavioral/local-stand-in`, child }
}

async function startMinimalReceiver(): Promise<Receiver> {
  const child = track(
    fork(path.join(__dirname, 'receiver.js'), ['--port', '0', ...CREDENTIAL_ARGS], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc']
    })
  )
  const { port } = await nextMessage<{ port: number }>(child, 'listening', 20_000, 'receiver')
  const stats = async () => {
    const reply = nextMessage<{ stats: ReceiverStats }>(child, 'stats', 10_000, 'receiver')
    child.send({ type: 'stats' })
    return (await reply).stats
  }
  return { kind: 'minimal', url: `http://127.0.0.1:${port}/events`, child, stats }
}

export function startReceiver(kind: ReceiverKind): Promise<Receiver> {
  return kind === 'cli' ? startStandIn() : startMinimalReceiver()
}
