import type { JqInstance } from './jqInstance'
import { OutputLines } from './jqOutputLines'
import { MARK_SLOT } from './jqProtocol'
import type { JqJobsMessage, JqWorkerMessage } from './jqProtocol'
import type { StackGuard } from './jqStackGuard'
import { StderrTail } from './jqStderr'
import { StdinFeed } from './jqStdinFeed'
import type { WorkerContext } from './jqWorkerContext'
import { stopOf, WorkerStop } from './jqWorkerStop'

/**
 * The stream role: ONE jq main() for the worker's life, which compiles the program once and then reads one JSON
 * text per line (-R, so that a text jq cannot parse is that line's problem, see jqSandbox) and prints one line
 * for each. jq never sees the end of its input; the worker ends when the instance may not go on (its stack guard
 * was hit, its memory grew too far) or when the main thread terminates it.
 */

/** jq's flags: compact, uncoloured output flushed after each result, and raw input lines. */
const STREAM_FLAGS = ['-c', '-M', '--unbuffered', '-R']

export function runStream(context: WorkerContext, program: string, marks: boolean): void {
  const { jq, guard, inbox, post, stdio } = context
  const lines = new OutputLines(context.maxLineBytes)
  const stderr = new StderrTail(marks ? (mark) => Atomics.store(context.signal, MARK_SLOT, mark) : undefined)
  const feed = new StdinFeed(
    () => (inbox.next() as JqJobsMessage).jobs,
    (fed) => between(fed, { jq, guard, lines, post, recycleBytes: context.recycleBytes })
  )
  stdio.read = (into) => feed.read(into)
  stdio.write = (fd, bytes) => (fd === 1 ? lines.write(bytes) : stderr.write(bytes))
  post({ kind: 'compiling' })
  try {
    const exitCode = jq.callMain([...STREAM_FLAGS, program])
    post({ kind: 'stopped', reason: 'exit', detail: `jq exited with status ${exitCode}`, stderr: `${stderr}` })
  } catch (error) {
    if (error instanceof WorkerStop && error.reason === 'recycle') return post({ kind: 'recycle' })
    post({ kind: 'stopped', ...stopOf(error, jq, guard), stderr: `${stderr}` })
  }
}

interface Between {
  jq: JqInstance
  guard: StackGuard
  lines: OutputLines
  post: (message: JqWorkerMessage) => void
  recycleBytes: number
}

/** Between two inputs: the answers so far go out, unless the last one's stack use makes them untrustworthy. */
function between(fed: number, { jq, guard, lines, post, recycleBytes }: Between): void {
  if (guard.touched()) throw new WorkerStop('stack', 'jq ran out of stack space')
  const answers = lines.take()
  if (answers.length > 0) post({ kind: 'answers', answers })
  if (fed === 0) post({ kind: 'ready' })
  else if (jq.memory.buffer.byteLength > recycleBytes) throw new WorkerStop('recycle', 'memory grew')
}
