import { epochMs } from './protocol'
import type { JqRole, JqWorkerAnswer, JqWorkerMessage, JqWorkerStopReason } from './protocol'
import type { JqWorker } from './workerHandle'

/**
 * Jobs for one role (a program's stream of events, or compile checks) through one worker at a time, pipelined:
 * every job is posted at once and answered in order, so concurrent callers share the worker's stream instead of
 * taking turns. One job runs at a time, and the worker says in the shared buffer which and since when, so its
 * deadline is judged by the worker's own clock, whatever the main thread was busy with. A job past its deadline,
 * or the one running when its worker had to stop (memory cap, stack guard, crash), is settled as stopped; a new
 * worker takes over and every other job not answered yet (those behind it, and any answered but not yet posted)
 * is fed to it again. A role that cannot start (a program jq does not compile, or not in time) fails every job,
 * now and later.
 *
 * Each submit is one caller's batch (a stand-in request, a studio edit). When one of its jobs is stopped, the
 * batch's jobs not answered yet go behind every other caller's, so another caller's plain event waits for one
 * runaway at most, not for a batch of them; after `haltAfterStops` stops, the batch's remaining jobs are not run
 * at all (skipped: 'halted'), and the caller decides what to do with them. A batch whose signal aborts is
 * skipped ('cancelled') at once, and a worker busy with it is replaced.
 *
 * A batch may ask to be told of each stop at once (`onStop`), to find out what ran away. Until that hunt ends,
 * the batch's own jobs are held back (they may well run away the same way), while every other caller's go on at
 * once: one caller's runaways cost another's plain event the deadline of the one under way, no more. Should one
 * more job run away while a hunt is under way (another caller's), the queue runs nothing until the hunts end:
 * then it is many callers' runaways, and the jobs waiting run the same program. Callers withdraw jobs of a
 * program found out of date through their signals (see evaluateEvent.ts), so many callers each sending one
 * runaway cost whoever waits behind them two deadlines, not one each.
 */

/** Why jq was stopped on a job: past its deadline, past the memory cap, out of stack, a crash, or too much output. */
export type JqStopReason = 'deadline' | 'memory' | 'stack' | 'crash' | 'output'

export interface JqStop {
  reason: JqStopReason
  detail: string
  deadlineMs: number
  memoryCapMb: number
  /** The last mark an instrumented program wrote before it was stopped (see sandbox.ts). */
  mark?: number
}

export interface JqNotStarted {
  reason: JqWorkerStopReason | 'deadline' | 'closed'
  detail: string
  /** What jq wrote to stderr (its compile errors). */
  stderr: string
}

/** Why a job was not run: its batch's runaways spent its budget, or its caller gave up on it. */
export type JqSkipReason = 'halted' | 'cancelled'

export type JobOutcome =
  | { answer: JqWorkerAnswer }
  | { stop: JqStop }
  | { notStarted: JqNotStarted }
  | { skipped: JqSkipReason }

/** What a caller may ask of its batch of jobs, besides their deadline. */
export interface JqRunOptions {
  /** After this many of the batch's jobs were stopped, its jobs not answered yet are skipped as 'halted'. */
  haltAfterStops?: number
  /** Aborting it skips the batch's jobs not answered yet as 'cancelled'. */
  signal?: AbortSignal
  /**
   * Told of each of the batch's stopped jobs (by its place in the batch) as it is stopped; the batch's other
   * jobs wait until the promise it returns settles (and every caller's, if another hunt was under way).
   */
  onStop?: (index: number, stop: JqStop) => Promise<unknown>
}

/** Jobs jq was stopped on in this process (deadline, memory, stack, crash): what others waited for, in deadlines. */
let stoppedJobs = 0

/** How many jobs jq has been stopped on so far, in every queue (for tests and the benchmark: waits in deadlines). */
export function jqStopsSoFar(): number {
  return stoppedJobs
}

interface Batch {
  stops: number
  haltAfterStops: number
  onStop?: JqRunOptions['onStop']
}

interface Job {
  index: number
  payload: string
  deadlineMs: number
  batch: Batch
  settle(outcome: JobOutcome): void
}

/** The batch's jobs among `jobs`, and the others, each in their order. */
function splitOff(jobs: Job[], batch: Batch): [own: Job[], others: Job[]] {
  const own: Job[] = []
  const others: Job[] = []
  for (const job of jobs) (job.batch === batch ? own : others).push(job)
  return [own, others]
}

export class JqJobQueue {
  private worker: JqWorker | undefined
  private phase: 'starting' | 'compiling' | 'ready' = 'starting'
  /** Jobs posted to the current worker and not answered yet, in order. */
  private sent: Job[] = []
  /** Answers the current worker gave. */
  private answered = 0
  private timer: NodeJS.Timeout | undefined
  private timerDue = 0
  private broken: JqNotStarted | undefined
  /** Jobs submitted this turn of the event loop, posted together (see post). */
  private unposted: string[] = []
  private posting = false
  /** Jobs of batches whose hunt is under way (onStop): not posted until it ends. */
  private held: Job[] = []
  /** Hunts under way (onStop). */
  private hunts = 0
  /** Hunts under way that began while another was: no worker runs until they end. */
  private paused = 0

  constructor(
    private readonly role: JqRole,
    private readonly takeWorker: () => JqWorker,
    private readonly startDeadlineMs: number
  ) {}

  submit(payloads: string[], deadlineMs: number, run: JqRunOptions = {}): Promise<JobOutcome[]> {
    const broken = this.broken
    if (broken) return Promise.resolve(payloads.map(() => ({ notStarted: broken })))
    const { signal } = run
    if (signal?.aborted) return Promise.resolve(payloads.map((): JobOutcome => ({ skipped: 'cancelled' })))
    const batch: Batch = { stops: 0, haltAfterStops: run.haltAfterStops ?? Infinity, onStop: run.onStop }
    const jobs: Job[] = []
    const outcomes = payloads.map(
      (payload, index) => new Promise<JobOutcome>((settle) => jobs.push({ index, payload, deadlineMs, batch, settle }))
    )
    this.enqueue(jobs)
    if (!signal) return Promise.all(outcomes)
    const cancel = () => this.cancel(batch)
    signal.addEventListener('abort', cancel, { once: true })
    return Promise.all(outcomes).finally(() => signal.removeEventListener('abort', cancel))
  }

  /** Jobs for the worker: posted to it, or to a new one (none while paused). */
  private enqueue(jobs: Job[]): void {
    this.sent.push(...jobs)
    if (this.worker) this.post(jobs.map((job) => job.payload))
    else this.restart()
    this.worker?.hold(true)
    this.arm()
  }

  /** The batch's jobs not answered yet are skipped; the worker, which has them and may be running one, is replaced. */
  private cancel(batch: Batch): void {
    const [posted, stillSent] = splitOff(this.sent, batch)
    const [held, stillHeld] = splitOff(this.held, batch)
    const own = [...posted, ...held]
    if (own.length === 0) return
    this.sent = stillSent
    this.held = stillHeld
    for (const job of own) job.settle({ skipped: 'cancelled' })
    if (posted.length > 0) this.restart()
  }

  /**
   * After one of a batch's jobs was stopped (before the restart): its other jobs are halted, or held while its
   * hunt goes on, or go last.
   */
  private afterStop(batch: Batch, hunted: boolean): void {
    batch.stops += 1
    const [own, others] = splitOff(this.sent, batch)
    if (own.length === 0) return
    this.sent = others
    if (batch.stops >= batch.haltAfterStops) for (const job of own) job.settle({ skipped: 'halted' })
    else if (hunted) this.held.push(...own)
    else this.sent.push(...own)
  }

  /**
   * Posts jobs at the end of this turn of the event loop, with the others submitted meanwhile: a server's
   * requests that arrive together (the stand-in's concurrent clients) reach the worker as one message and one
   * wake-up, not one each. A lone event waits for nothing but the end of the current turn.
   */
  private post(payloads: string[]): void {
    this.unposted.push(...payloads)
    if (this.posting) return
    this.posting = true
    setImmediate(() => {
      this.posting = false
      const jobs = this.unposted
      this.unposted = []
      if (jobs.length > 0) this.worker?.send(jobs)
    })
  }

  /** Jobs not answered yet. */
  get pending(): number {
    return this.sent.length + this.held.length
  }

  /** Starts the worker now, before any job (a program then compiles while the caller does other things). */
  warm(): void {
    if (!this.worker && !this.broken && this.paused === 0) this.startWorker()
  }

  /** Ends the worker; jobs still waiting are settled as not started. */
  close(): void {
    this.fail({ reason: 'closed', detail: 'the jq engine was closed', stderr: '' })
  }

  private onMessage(message: JqWorkerMessage): void {
    if (message.kind === 'compiling') this.phase = 'compiling'
    else if (message.kind === 'ready') this.phase = 'ready'
    else if (message.kind === 'answers') this.onAnswers(message.answers)
    else if (message.kind === 'recycle') this.restart()
    else this.onStopped(message.reason, message.detail, message.stderr)
    this.arm()
  }

  private onAnswers(answers: JqWorkerAnswer[]): void {
    for (const answer of answers) this.sent.shift()?.settle({ answer })
    this.answered += answers.length
    if (this.sent.length === 0) this.worker?.hold(false)
  }

  private onStopped(reason: JqWorkerStopReason, detail: string, stderr: string): void {
    if (this.phase !== 'ready') return this.fail({ reason, detail, stderr })
    this.stopRunning(reason === 'exit' ? 'crash' : reason, detail)
  }

  private onGone(error?: Error): void {
    const outOfMemory = (error as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY'
    const detail = error ? `the jq worker failed: ${error.message}` : 'the jq worker ended'
    this.onStopped(outOfMemory ? 'memory' : 'crash', detail, '')
  }

  /** Where in `sent` the job the worker is on is (-1: none, it answered all it was handed). */
  private runningIndex(): number {
    const started = this.worker?.progress().started ?? 0
    const index = started - 1 - this.answered
    return index < this.sent.length ? index : -1
  }

  /** The running job is settled as stopped, and the others go to a new worker. */
  private stopRunning(reason: JqStopReason, detail: string): void {
    const index = this.runningIndex()
    const [job] = index >= 0 ? this.sent.splice(index, 1) : []
    if (job) stoppedJobs += 1
    const mark = this.worker?.lastMark()
    const memoryCapMb = this.worker?.memoryCapMb ?? 0
    if (job) {
      const stop = { reason, detail, deadlineMs: job.deadlineMs, memoryCapMb, mark }
      job.settle({ stop })
      // Before the hunt is counted: the first one holds back its own batch only.
      const pauses = this.hunts > 0
      this.afterStop(job.batch, job.batch.onStop !== undefined && !pauses)
      if (job.batch.onStop) this.huntFor(job, stop, pauses)
    }
    this.restart()
  }

  /**
   * Until the hunt settles (however it does), the batch's jobs are held back, or, with `pauses`, every job;
   * then they go on.
   */
  private huntFor(job: Job, stop: JqStop, pauses: boolean): void {
    const { batch } = job
    this.hunts += 1
    if (pauses) this.paused += 1
    const resume = () => {
      this.hunts -= 1
      const [own, others] = splitOff(this.held, batch)
      this.held = others
      if (pauses) {
        this.paused -= 1
        this.sent.push(...own)
        this.restart()
      } else if (own.length > 0) this.enqueue(own)
    }
    batch.onStop?.(job.index, stop).then(resume, resume)
  }

  /** Every job not answered is settled as not started; for a reason that would recur, later jobs too. */
  private fail(notStarted: JqNotStarted): void {
    const jobs = [...this.sent, ...this.held]
    this.sent = []
    this.held = []
    // A crash of the thread itself (say, a failed start) may not recur; jq's own verdict on a program would.
    this.broken = notStarted.reason === 'crash' || notStarted.reason === 'closed' ? undefined : notStarted
    this.dropWorker()
    for (const job of jobs) job.settle({ notStarted })
  }

  /** A fresh worker for the jobs not answered yet (none: one starts with the next submit; none while paused). */
  private restart(): void {
    this.dropWorker()
    if (this.sent.length > 0 && this.paused === 0) this.startWorker()
  }

  private startWorker(): void {
    // A thread that cannot start says so as `gone` (its start waits for afterWorkerEnds): while the queue is
    // 'starting', onStopped fails the jobs, as a program that cannot start.
    const worker = this.takeWorker()
    this.worker = worker
    this.phase = 'starting'
    this.answered = 0
    worker.listen({
      message: (message) => this.worker === worker && this.onMessage(message),
      gone: (error) => this.worker === worker && this.onGone(error)
    })
    worker.assign(this.role)
    if (this.sent.length > 0) worker.send(this.sent.map((job) => job.payload))
    worker.hold(this.sent.length > 0)
    this.arm()
  }

  private dropWorker(): void {
    // Jobs not posted yet are still in `sent`: the next worker gets them with the others.
    this.unposted = []
    this.worker?.terminate()
    this.worker = undefined
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  /**
   * When the running job (or the program's start) would be late. Before the worker has taken the first job
   * not answered yet, it is reckoned as starting now; the check then reads the worker's own time.
   */
  private due(): number | undefined {
    const progress = this.worker?.progress()
    if (!progress) return undefined
    // A program's start has its deadline even before any job: a runaway there would spin on unseen.
    if (this.phase === 'compiling') return progress.startedAt + this.startDeadlineMs
    if (this.phase !== 'ready' || this.sent.length === 0) return undefined
    const index = this.runningIndex()
    if (index < 0) return epochMs() + this.sent[0].deadlineMs
    return progress.startedAt + this.sent[index].deadlineMs
  }

  /** The one timer, set for the earliest moment something could be late; it re-arms itself as jobs move on. */
  private arm(): void {
    const due = this.worker ? this.due() : undefined
    if (due === undefined || (this.timer && this.timerDue <= due)) return
    if (this.timer) clearTimeout(this.timer)
    this.timerDue = due
    this.timer = setTimeout(() => this.check(), Math.max(0, due - epochMs()))
    this.timer.unref()
  }

  private check(): void {
    this.timer = undefined
    // Answers already posted count first (fewer jobs to feed again); the verdict uses the worker's progress.
    this.worker?.drain()
    const due = this.due()
    if (due === undefined || epochMs() < due) return this.arm()
    if (this.phase === 'compiling') {
      const detail = `jq did not compile the program within ${this.startDeadlineMs} ms`
      return this.fail({ reason: 'deadline', detail, stderr: '' })
    }
    const index = this.runningIndex()
    if (index < 0) return this.arm()
    this.stopRunning('deadline', `jq did not finish within ${this.sent[index].deadlineMs} ms`)
  }
}
