import { epochMs, STARTED_SLOT } from '../protocol'
import type { JqJobsMessage } from '../protocol'
import { StderrTail } from './output'
import type { WorkerContext } from './context'
import { stopOf } from './context'

/**
 * The check role: jq's main() once per job, with -n and the job's program text, which jq compiles and (being
 * `empty | …`, see ../sandbox.ts) never runs. jq compiles its builtins on every main(), about 3 ms; the instance,
 * its WebAssembly and its worker are reused, as jq-web's raw() reuses its one instance.
 */
export function runChecks(context: WorkerContext): void {
  const { jq, guard, inbox, post, stdio, signal } = context
  const stderr = new StderrTail()
  stdio.read = () => 0
  stdio.write = (fd, bytes) => {
    if (fd === 2) stderr.write(bytes)
  }
  post({ kind: 'ready' })
  for (let started = 1; ; ) {
    for (const text of (inbox.next() as JqJobsMessage).jobs) {
      stderr.clear()
      signal.startedAt[0] = epochMs()
      Atomics.store(signal.slots, STARTED_SLOT, started++)
      let exitCode: number
      try {
        exitCode = jq.callMain(['-n', text])
      } catch (error) {
        return post({ kind: 'stopped', ...stopOf(error, jq, guard), stderr: `${stderr}` })
      }
      if (guard.touched())
        return post({ kind: 'stopped', reason: 'stack', detail: 'jq ran out of stack space', stderr: `${stderr}` })
      post({ kind: 'answers', answers: [{ exitCode, stderr: `${stderr}` }] })
      if (jq.memory.buffer.byteLength > context.recycleBytes) return post({ kind: 'recycle' })
    }
  }
}
