import { statSync } from 'fs'
import { closeJqEngine, DEFAULT_ENDPOINT_FILE, loadEndpointFile } from '../endpointModel'
import type { JqLimits } from '../endpointModel'
import { listInputs } from '../events/inputFiles'
import { readPieces } from '../events/readEvents'
import type { InputFormat } from '../events/readEvents'
import { seededRandom } from '../io/seededRandom'
import type { SubscriptionSpec } from '../runtime/subscriptions'
import { buildReport } from './coverageReport'
import type { CoverageReport } from './coverageReport'
import type { Piece } from './coverageSession'
import { mergeTallies } from './coverageTally'
import { startEvaluator } from './coverageWorkers'
import { SuiteError } from './suiteTypes'

/**
 * `test --coverage`: a large export of real events through both sides, exactly as preview sees each of them
 * (its batch mode), counted per event type and name. The main thread only reads and cuts lines (and samples
 * them, before any parsing); worker threads parse, evaluate and count; memory stays bounded because the reader
 * waits for the workers.
 */

export interface CoverageProgress {
  /** The inputs' total size, when known (not for stdin). */
  totalBytes?: number
  bytesRead: number
  /** Events (non-blank lines) read so far, sampled or not. */
  read: number
  evaluated: number
}

export interface CoverageOptions {
  inputs: string[]
  format?: InputFormat
  endpointFile?: string
  jqLimits?: JqLimits
  /** One subscription: what the destination runs each event through. */
  subscriptions: SubscriptionSpec[]
  /** Worker threads; 0 evaluates in this thread. */
  workers: number
  /** Evaluate a uniform sample: each event independently with probability `rate`, from a seeded generator. */
  sample?: { rate: number; seed: number }
  /** Updated as the run goes, for a progress bar. */
  progress?: CoverageProgress
  /** Stops reading; the report covers what was read and says it was interrupted. */
  signal?: AbortSignal
}

/**
 * Lines handed to a worker at once: also how many events go through one jq run and one onBatch call. jq-web's
 * memory grows to its largest run and never shrinks: over 100,000 events of the benchmark, 1,000 a batch
 * peaked at 295 MB and 250 at 245 MB, for the same CPU (jq compiling the program once per run costs little
 * beside evaluating 250 events).
 */
export const COVERAGE_BATCH = 250

/**
 * The pieces of one input, read as `send` reads them (gzip, the size limit, a stop that ends a silent stdin).
 * JSON Lines and array elements come as text, parsed by the workers (the fast path, where sampling skips a
 * line before anything parses it).
 */
async function* piecesOf(
  file: string,
  format: InputFormat,
  progress: CoverageProgress,
  signal?: AbortSignal
): AsyncGenerator<Piece> {
  const reading = { bytesRead: 0 }
  const before = progress.bytesRead
  for await (const piece of readPieces(file, format, reading, { signal })) {
    progress.bytesRead = before + reading.bytesRead
    const { line } = piece
    if (piece.kind === 'text') yield { line, text: piece.text }
    else if (piece.kind === 'event') yield { line, text: JSON.stringify(piece.event) }
    else yield { line, malformed: piece.reason }
  }
}

function checkOptions(options: CoverageOptions): void {
  if (options.subscriptions.length !== 1)
    throw new SuiteError([
      `The mapping file holds ${options.subscriptions.length} subscriptions; a coverage run uses one (preview can compare several).`
    ])
  const rate = options.sample?.rate
  if (rate !== undefined && !(rate > 0 && rate <= 1))
    throw new SuiteError([`A sample rate must be above 0 and at most 1, like 0.01 (1%); got ${rate}.`])
}

export async function runCoverage(options: CoverageOptions): Promise<CoverageReport> {
  checkOptions(options)
  const { files, skipped } = listInputs(options.inputs)
  const endpointFile = options.endpointFile ?? DEFAULT_ENDPOINT_FILE
  // A broken file is a usage error before any worker starts; the workers take it checked.
  const endpoint = await loadEndpointFile(endpointFile, options.jqLimits)
  // jq's threads of that check are of no more use here when workers evaluate: their memory goes now.
  if (options.workers > 0) closeJqEngine()
  const progress = options.progress ?? { bytesRead: 0, read: 0, evaluated: 0 }
  progress.totalBytes = files.includes('-') ? undefined : files.reduce((n, f) => n + statSync(f).size, 0)
  const keep = options.sample && options.sample.rate < 1 ? seededRandom(options.sample.seed) : undefined
  const rate = options.sample?.rate ?? 1
  const setup = { endpoint, subscriptions: options.subscriptions }
  const evaluator = await startEvaluator(options.workers, setup, (n) => (progress.evaluated += n))
  let interrupted = false
  const perFile = files.map(() => 0)
  try {
    for (const [index, file] of files.entries()) {
      let batch: Piece[] = []
      for await (const piece of piecesOf(file, options.format ?? 'auto', progress, options.signal)) {
        if (options.signal?.aborted) break
        progress.read++
        perFile[index]++
        if (keep && keep() >= rate) continue
        batch.push(piece)
        if (batch.length < COVERAGE_BATCH) continue
        await evaluator.submit(index, batch)
        batch = []
      }
      if (batch.length > 0) await evaluator.submit(index, batch)
      interrupted = Boolean(options.signal?.aborted)
      if (interrupted) break
    }
    const tally = mergeTallies(await evaluator.finish())
    const names = files.map((f) => (f === '-' ? 'stdin' : f))
    return buildReport(tally, {
      files: names,
      inputs: names.map((file, i) => ({ file, events: perFile[i] })),
      endpointFile,
      madeAt: new Date().toISOString(),
      read: progress.read,
      ...(options.sample ? { sampling: options.sample } : {}),
      interrupted,
      skipped
    })
  } finally {
    await evaluator.close()
  }
}
