import { workerData } from 'worker_threads'
import { startJq } from './instance'
import { ANSWER_CAP_SHARE } from '../limits'
import type { JqStdio } from './instance'
import { signalOf } from '../protocol'
import type { JqRole, JqWorkerData, JqWorkerMessage } from '../protocol'
import { Inbox, stackGuard } from './context'
import { runChecks } from './check'
import { runStream } from './stream'

/**
 * A jq worker thread (started by ../workerHandle.ts): it starts its jq instance, then waits for its role, a stream
 * of events through one program or a series of compile checks, and plays it until it must stop. It never
 * prints: everything it has to say goes to the main thread as a message.
 */

/** Past this share of the cap, between jobs, a worker is replaced: WebAssembly memory never shrinks. */
const RECYCLE_SHARE = 2

async function main(data: JqWorkerData, post: (message: JqWorkerMessage) => void): Promise<void> {
  const stdio: JqStdio = { read: () => 0, write: () => undefined }
  const jq = await startJq(
    data,
    { read: (into) => stdio.read(into), write: (fd, bytes) => stdio.write(fd, bytes) },
    data.memoryCapBytes
  )
  const signal = signalOf(data.signal)
  const context = {
    jq,
    guard: stackGuard(jq.memory, jq.stackTop),
    inbox: new Inbox(data.port, signal.slots),
    post,
    stdio,
    signal,
    maxLineBytes: Math.floor(data.memoryCapBytes * ANSWER_CAP_SHARE),
    recycleBytes: Math.floor(data.memoryCapBytes / RECYCLE_SHARE)
  }
  const role = context.inbox.next() as JqRole
  if (role.role === 'stream') runStream(context, role.program, role.marks)
  else runChecks(context)
}

const data = workerData as JqWorkerData
const post = (message: JqWorkerMessage) => data.port.postMessage(message)
main(data, post).catch((error: unknown) =>
  post({ kind: 'stopped', reason: 'crash', detail: `jq did not start: ${String(error)}`, stderr: '' })
)
