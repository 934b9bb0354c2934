import { performance } from 'perf_hooks'
import type { JqRole, JqWorkerAnswer, JqWorkerMessage, JqWorkerStopReason } from './jqProtocol'
import type { JqWorker } from './jqWorkerHandle'

/**
 * Jobs for one role (a program's stream of events, or compile checks) through one worker at a time, pipelined:
 * every job is posted at once and answered in order, so concurrent callers share the worker's stream instead of
 * taking turns. Only the job at the head is running, so the head alone has a deadline, counted from the moment
 * the worker was free for it (the answer before it, or the worker being ready). A head past its deadline, or one
 * whose worker had to stop (memory cap, stack, crash), is settled as stopped, the worker is replaced, and every
 * job behind it is fed again to the new one. A role that cannot start (a program jq does not compile in time, or
 * at all) fails every job, now and later.
 */

/** Why jq was stopped on a job: past its deadline, past the memory cap, out of stack, a crash, or too much output. */
export type JqStopReason = 'deadline' | 'memory' | 'stack' | 'crash' | 'output'

export interface JqStop {
  reason: JqStopReason
  detail: string
  deadlineMs: number
  memoryCapMb: number
  /** The last mark an instrumented program wrote before it was stopped (see jqSandbox). */
  mark?: number
}

export interface JqNotStarted {
  reason: JqWorkerStopReason | 'deadline' | 'closed'
  detail: string
  /** What jq wrote to stderr (its compile errors). */
  stderr: string
}

export type JobOutcome = { answer: JqWorkerAnswer } | { stop: JqStop } | { notStarted: JqNotStarted }

interface Job {
  payload: string
  deadlineMs: number
  settle(outcome: JobOutcome): void
}

export class JqJobQueue {
  private worker: JqWorker | undefined
  private phase: 'starting' | 'compiling' | 'ready' = 'starting'
  /** Jobs posted to the current worker and not answered yet, the running one first. */
  private sent: Job[] = []
  private headSince = 0
  private compilingSince = 0
  private timer: NodeJS.Timeout | undefined
  private broken: JqNotStarted | undefined

  constructor(
    private readonly role: JqRole,
    private readonly takeWorker: () => JqWorker,
    private readonly startDeadlineMs: number
  ) {}

  submit(payloads: string[], deadlineMs: number): Promise<JobOutcome[]> {
    const broken = this.broken
    if (broken) return Promise.resolve(payloads.map(() => ({ notStarted: broken })))
    const jobs: Job[] = []
    const outcomes = payloads.map(
      (payload) => new Promise<JobOutcome>((settle) => jobs.push({ payload, deadlineMs, settle }))
    )
    if (this.sent.length === 0) this.headSince = performance.now()
    this.sent.push(...jobs)
    if (this.worker) this.worker.send(payloads)
    else this.restart()
    this.worker?.hold(true)
    this.arm()
    return Promise.all(outcomes)
  }

  /** Jobs not answered yet. */
  get pending(): number {
    return this.sent.length
  }

  /** Starts the worker now, before any job (a program then compiles while the caller does other things). */
  warm(): void {
    if (!this.worker && !this.broken) this.startWorker()
    this.arm()
  }

  /** Ends the worker; jobs still waiting are settled as not started. */
  close(): void {
    this.fail({ reason: 'closed', detail: 'the jq engine was closed', stderr: '' })
    this.broken = undefined
  }

  private onMessage(message: JqWorkerMessage): void {
    if (message.kind === 'compiling') {
      this.phase = 'compiling'
      this.compilingSince = performance.now()
    } else if (message.kind === 'ready') {
      this.phase = 'ready'
      this.headSince = performance.now()
    } else if (message.kind === 'answers') {
      for (const answer of message.answers) this.sent.shift()?.settle({ answer })
      this.headSince = performance.now()
      if (this.sent.length === 0) this.worker?.hold(false)
    } else if (message.kind === 'recycle') {
      this.restart()
    } else {
      this.onStopped(message.reason, message.detail, message.stderr)
    }
    this.arm()
  }

  private onStopped(reason: JqWorkerStopReason, detail: string, stderr: string): void {
    if (this.phase !== 'ready') return this.fail({ reason, detail, stderr })
    if (this.sent.length === 0) return this.dropWorker()
    this.stopHead(reason === 'exit' ? 'crash' : reason, detail)
  }

  private onGone(error?: Error): void {
    const outOfMemory = (error as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY'
    const detail = error ? `the jq worker failed: ${error.message}` : 'the jq worker ended'
    this.onStopped(outOfMemory ? 'memory' : 'crash', detail, '')
  }

  private stopHead(reason: JqStopReason, detail: string): void {
    const head = this.sent.shift()
    const mark = this.worker?.lastMark()
    const memoryCapMb = this.worker?.memoryCapMb ?? 0
    head?.settle({ stop: { reason, detail, deadlineMs: head.deadlineMs, memoryCapMb, mark } })
    this.restart()
  }

  private fail(notStarted: JqNotStarted): void {
    const jobs = this.sent
    this.sent = []
    this.broken = notStarted
    this.dropWorker()
    for (const job of jobs) job.settle({ notStarted })
  }

  /** A fresh worker for the jobs not answered yet (none: one starts with the next submit). */
  private restart(): void {
    this.dropWorker()
    if (this.sent.length > 0) this.startWorker()
  }

  private startWorker(): void {
    const worker = this.takeWorker()
    this.worker = worker
    this.phase = 'starting'
    worker.listen({
      message: (message) => this.worker === worker && this.onMessage(message),
      gone: (error) => this.worker === worker && this.onGone(error)
    })
    worker.assign(this.role)
    if (this.sent.length > 0) worker.send(this.sent.map((job) => job.payload))
    worker.hold(this.sent.length > 0)
  }

  private dropWorker(): void {
    this.worker?.terminate()
    this.worker = undefined
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  /** The one timer, set for the earliest moment something could be late; it re-arms itself as the head moves. */
  private arm(): void {
    if (this.timer || !this.worker) return
    const due = this.due()
    if (due === undefined) return
    this.timer = setTimeout(() => this.check(), Math.max(0, due - performance.now()))
    this.timer.unref()
  }

  private due(): number | undefined {
    // A program's start has its deadline even before any job: a runaway there would spin on unseen.
    if (this.phase === 'compiling') return this.compilingSince + this.startDeadlineMs
    if (this.phase === 'ready' && this.sent.length > 0) return this.headSince + this.sent[0].deadlineMs
    return undefined
  }

  private check(): void {
    this.timer = undefined
    // Answers already posted count before the verdict: the main thread may have been busy, the worker not.
    this.worker?.drain()
    const due = this.due()
    if (due === undefined || performance.now() < due) return this.arm()
    if (this.phase === 'compiling') {
      const detail = `jq did not compile the program within ${this.startDeadlineMs} ms`
      return this.fail({ reason: 'deadline', detail, stderr: '' })
    }
    this.stopHead('deadline', `jq did not finish within ${this.sent[0].deadlineMs} ms`)
  }
}
