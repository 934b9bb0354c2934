/**
 * `movable-ink test --coverage` over the benchmark's JSON Lines file (1,000,000 events of about 1.1 kB by
 * default) with the default endpoint file: events/s over the command's whole wall time (start-up included),
 * its CPU per event and its peak RSS (VmHWM of the process, every thread counted), polled from /proc.
 *
 * On its own: `npm run bench:coverage [-- --events N --workers N --sample RATE --keep-jsonl --no-exact]`, which then
 * runs test/suite/coverage.test.ts over N generated lines (1,000,000 by default; the test's own run has 50,000),
 * proving every count exact at that size. To make it part
 * of `npm run bench`, call `measureCoverage({ file })` from main.ts after the send phase, with the same
 * JsonlFile, and add its result to results.json (see bench/README.md, "Coverage").
 */
import { spawn, spawnSync } from 'child_process'
import { statSync } from 'fs'
import { performance } from 'perf_hooks'
import { track, stopChildrenOnExit } from './childProcesses'
import { ensureJsonl, removeJsonl } from './jsonl'
import type { JsonlFile } from './jsonl'
import { log } from './log'
import { CLI, OUT_DIR, ROOT } from './paths'
import { procCpuUs, vmHwmBytes } from './procfs'

export interface CoverageRunOptions {
  file: JsonlFile
  /** `--workers N`; the command's default (one per core) when left out. */
  workers?: number
  /** `--sample RATE`. */
  sample?: number
}

export interface CoverageResult {
  events: number
  evaluated: number
  workers: number | 'default'
  sample?: number
  seconds: number
  eventsPerSecond: number
  /** Events evaluated per second (the same as eventsPerSecond without sampling). */
  evaluatedPerSecond: number
  cpuUsPerEvent?: number
  peakRssBytes?: number
  usefulShare: number
}

export async function measureCoverage(options: CoverageRunOptions): Promise<CoverageResult> {
  const args = [CLI, 'test', '--coverage', options.file.path, '--json']
  if (options.workers !== undefined) args.push('--workers', String(options.workers))
  if (options.sample !== undefined) args.push('--sample', String(options.sample))
  const started = performance.now()
  const child = track(spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] }))
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  let peak = 0
  let cpu: number | undefined
  const poll = setInterval(() => {
    if (!child.pid) return
    peak = Math.max(peak, vmHwmBytes(child.pid) ?? 0)
    cpu = procCpuUs(child.pid) ?? cpu
  }, 50)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearInterval(poll)
  const seconds = (performance.now() - started) / 1000
  if (code !== 0) throw new Error(`test --coverage exited with ${code}: ${stderr.trim()}`)
  const report = JSON.parse(stdout) as { read: number; evaluated: number; useful: { share: number } }
  return {
    events: report.read,
    evaluated: report.evaluated,
    workers: options.workers ?? 'default',
    ...(options.sample === undefined ? {} : { sample: options.sample }),
    seconds: Math.round(seconds * 100) / 100,
    eventsPerSecond: Math.round(report.read / seconds),
    evaluatedPerSecond: Math.round(report.evaluated / seconds),
    ...(cpu === undefined ? {} : { cpuUsPerEvent: Math.round((cpu / report.evaluated) * 10) / 10 }),
    ...(peak > 0 ? { peakRssBytes: peak } : {}),
    usefulShare: report.useful.share
  }
}

function argument(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name)
  return at >= 0 ? argv[at + 1] : undefined
}

/** test/suite/coverage.test.ts over `lines` generated lines, in jest: every count of the report exact. */
function proveExactCounts(lines: number): void {
  log(`coverage: the exact counts of test/suite/coverage.test.ts over ${lines} lines`)
  const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), 'test/suite/coverage.test.ts'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, COVERAGE_TEST_LINES: String(lines) }
  })
  if (jest.status !== 0)
    throw new Error(`the exact counts over ${lines} lines failed (jest exited with ${jest.status})`)
}

async function main(argv: string[]): Promise<void> {
  stopChildrenOnExit()
  const count = Number(argument(argv, '--events') ?? 1_000_000)
  const workers = argument(argv, '--workers')
  const sample = argument(argv, '--sample')
  const file = await ensureJsonl(OUT_DIR, count)
  log(`coverage: ${count} events, ${(statSync(file.path).size / 1e6).toFixed(0)} MB${file.reused ? ' (reused)' : ''}`)
  try {
    const result = await measureCoverage({
      file,
      workers: workers === undefined ? undefined : Number(workers),
      sample: sample === undefined ? undefined : Number(sample)
    })
    const mb = result.peakRssBytes ? (result.peakRssBytes / 1e6).toFixed(1) : '-'
    log(
      `test --coverage: ${result.eventsPerSecond} events/s (${result.evaluatedPerSecond} evaluated/s), ${
        result.cpuUsPerEvent ?? '-'
      } µs CPU per event evaluated, peak RSS ${mb} MB, ${result.seconds} s, workers ${result.workers}`
    )
    log(JSON.stringify(result))
  } finally {
    if (!argv.includes('--keep-jsonl')) removeJsonl(file.path)
  }
  if (!argv.includes('--no-exact')) proveExactCounts(count)
}

if (require.main === module)
  main(process.argv.slice(2)).catch((error: Error) => {
    process.stderr.write(`${error.message}\n`)
    process.exitCode = 1
  })
