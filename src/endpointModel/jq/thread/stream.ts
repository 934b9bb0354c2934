import { OutputLines, StderrTail } from './output'
import { epochMs, MARK_SLOT, STARTED_SLOT } from '../protocol'
import type { JqJobsMessage } from '../protocol'
import { StdinFeed } from './stdinFeed'
import type { FeedHooks } from './stdinFeed'
import type { WorkerContext } from './context'
import { stopOf, WorkerStop } from './context'

/**
 * The stream role: ONE jq main() for the worker's life, which compiles the program once and then reads one JSON
 * text per line (-R, so that a text jq cannot parse is that line's problem, see ../sandbox.ts) and prints one line
 * for each. jq never sees the end of its input; the worker ends when the instance may not go on (its stack guard
 * was hit, its memory grew too far) or when the main thread terminates it.
 */

/** jq's flags: compact, uncoloured output flushed after each result, and raw input lines. */
const STREAM_FLAGS = ['-c', '-M', '--unbuffered', '-R']

/**
 * Answers to a large message of jobs (a batch: a studio re-check, a preview chunk) wait this long at most while
 * more jobs are at hand: each message wakes the main thread, which on a busy machine cost the worker some 100 µs a
 * time in a run of 1,000 events (a profile of the worker), against 10 µs for the message itself. The worker's
 * progress is in the shared buffer all along, so deadlines do not wait for answers.
 */
const POST_EVERY_MS = 10
/**
 * Jobs posted a few together are callers of their own (the stand-in's concurrent requests, coalesced in one turn
 * of the event loop): each answer goes at once, so the main thread answers one request while jq works on the
 * next, instead of both waiting for each other in turn (8 clients, one request each at a time: posting every
 * answer at once made 2,413-2,712 requests/s against 2,097-2,334 in three pairs of runs; this rule, 2,399-3,075
 * against 2,155-2,621, on a noisy machine).
 */
const ANSWER_AT_ONCE_UP_TO = 16

function feedHooks(context: WorkerContext, lines: OutputLines): FeedHooks {
  const { jq, guard, post, signal } = context
  let postedAt = 0
  return {
    between(done, more, together) {
      // The answers since the last post go out only if the last job left the instance trustworthy.
      if (guard.touched()) throw new WorkerStop('stack', 'jq ran out of stack space')
      if (done === 0) post({ kind: 'ready' })
      const now = epochMs()
      if (more && together > ANSWER_AT_ONCE_UP_TO && now - postedAt < POST_EVERY_MS) return
      const answers = lines.take()
      if (answers.length > 0) post({ kind: 'answers', answers })
      postedAt = now
      if (done > 0 && jq.memory.buffer.byteLength > context.recycleBytes) throw new WorkerStop('recycle', 'grown')
    },
    started(count) {
      signal.startedAt[0] = epochMs()
      Atomics.store(signal.slots, STARTED_SLOT, count)
    }
  }
}

/**
 * An instrumented program's marks, each kept in the shared buffer as it comes. The stack guard is read at each
 * one too: between events it would only say that the event overran the stack, here it says which expression
 * did, the one before this mark, whose mark stays.
 */
function markRecorder({ guard, signal }: WorkerContext): (mark: number) => void {
  return (mark) => {
    if (guard.touched()) throw new WorkerStop('stack', 'jq ran out of stack space')
    Atomics.store(signal.slots, MARK_SLOT, mark)
  }
}

export function runStream(context: WorkerContext, program: string, marks: boolean): void {
  const { jq, guard, inbox, post, stdio, signal } = context
  const lines = new OutputLines(context.maxLineBytes)
  const stderr = new StderrTail(marks ? markRecorder(context) : undefined)
  const jobs = {
    poll: () => (inbox.poll() as JqJobsMessage | undefined)?.jobs,
    next: () => (inbox.next() as JqJobsMessage).jobs
  }
  const feed = new StdinFeed(jobs, feedHooks(context, lines))
  stdio.read = (into) => feed.read(into)
  stdio.write = (fd, bytes) => (fd === 1 ? lines.write(bytes) : stderr.write(bytes))
  signal.startedAt[0] = epochMs()
  post({ kind: 'compiling' })
  try {
    const exitCode = jq.callMain([...STREAM_FLAGS, program])
    post({ kind: 'stopped', reason: 'exit', detail: `jq exited with status ${exitCode}`, stderr: `${stderr}` })
  } catch (error) {
    if (error instanceof WorkerStop && error.reason === 'recycle') return post({ kind: 'recycle' })
    post({ kind: 'stopped', ...stopOf(error, jq, guard), stderr: `${stderr}` })
  }
}
