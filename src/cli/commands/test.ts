import { checkOutputFile } from '../../io/outputFile'
import { checkOutputsApart } from '../../io/outputsApart'
import { writeFileSafely } from '../../io/safeWrite'
import { availableParallelism } from 'os'
import { Option } from 'commander'
import type { Command } from 'commander'
import { DEFAULT_ENDPOINT_FILE, loadEndpointFile } from '../../endpointModel'
import type { InputFormat } from '../../events/readEvents'
import { createPreviewer } from '../../preview/previewer'
import { subscriptionsFrom } from '../../runtime/subscriptions'
import {
  closingLine,
  coverageHtml,
  coverageLines,
  junitXml,
  loadSuite,
  runCoverage,
  runSuite,
  suiteLines,
  updateLines,
  writeExpectations
} from '../../suite'
import type { CoverageProgress } from '../../suite'
import { lineWriter } from '../context'
import type { CommandContext } from '../context'
import { CoverageBar } from '../coverageBar'
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exitCodes'
import { addJqDeadlineOption, integer, share } from '../options'
import type { JqFlags } from '../options'
import { onStopSignal } from '../signals'

interface TestFlags extends JqFlags {
  endpoint?: string
  mapping?: string
  update?: boolean
  reporter?: string[]
  coverage?: boolean
  format: InputFormat
  json?: boolean
  html?: string
  sample?: number
  seed: number
  workers?: number
}

const DESCRIPTION =
  "Check sample events against their expected files on both sides (Segment's and Movable Ink's event mappings), or with --coverage measure a large export of real events. Offline; sends nothing."

function describe(program: Command): Command {
  return program
    .command('test')
    .description(DESCRIPTION)
    .argument('[paths...]', 'the suite: folders of sample events or sample files (with --coverage: the event files)')
    .option(
      '--endpoint <file>',
      "Movable Ink's event mappings to check against (default: examples/movable-ink-endpoint.json)"
    )
    .option(
      '--mapping <file>',
      'the subscription (or Segment mapping JSON) the events go through (default: the preset)'
    )
    .option('--update', 'write what is found as the expectations (like snapshot tests) and say what changed')
    .option('--reporter <format-and-file...>', 'also write a report for CI: junit FILE (JUnit XML)')
    .option('--coverage', 'report what becomes of a large export of real events (JSON Lines), per event name')
    .addOption(
      new Option('--format <format>', 'with --coverage: input format, auto (by extension and content), json or jsonl')
        .choices(['auto', 'json', 'jsonl'])
        .default('auto')
    )
    .option('--json', 'with --coverage: print the report as JSON')
    .option('--html <file>', 'with --coverage: also write the report as a self-contained HTML page')
    .option('--sample <rate>', 'with --coverage: evaluate a uniform sample, each event with this probability', share)
    .option('--seed <n>', "with --coverage --sample: the sample's seed (the same seed, the same sample)", integer(0), 1)
    .option(
      '--workers <n>',
      `with --coverage: worker threads, 0 for this thread (default: one per core, ${availableParallelism()})`,
      integer(0, 64)
    )
}

const COVERAGE_ONLY: [keyof TestFlags, string][] = [
  ['json', '--json'],
  ['html', '--html'],
  ['sample', '--sample'],
  ['workers', '--workers']
]

function checkFlags(flags: TestFlags): void {
  if (flags.coverage) {
    if (flags.update) throw new UsageError("--update writes a suite's expectations; it does not go with --coverage.")
    if (flags.reporter) throw new UsageError('--reporter reports a suite; it does not go with --coverage.')
  } else {
    const given = COVERAGE_ONLY.filter(([key]) => flags[key] !== undefined).map(([, flag]) => flag)
    if (given.length > 0)
      throw new UsageError(`${given.join(', ')} go${given.length === 1 ? 'es' : ''} with --coverage only.`)
  }
  if (flags.sample === 0) throw new UsageError('--sample must be above 0, like 0.01 (1% of the events).')
  const reporter = flags.reporter
  if (reporter && (reporter.length !== 2 || reporter[0] !== 'junit'))
    throw new UsageError(
      `--reporter takes a format and a file, "--reporter junit FILE" (JUnit XML); got "${reporter.join(
        ' '
      )}". Put the suite before it.`
    )
}

/** A report file, checked before any work: writable, not a link, and neither an input nor inside one. */
function checkReportFile(path: string, what: string, inputs: string[]): void {
  checkOutputFile(path, what)
  checkOutputsApart([{ path, what }], inputs)
}

function oneSubscription(flags: TestFlags) {
  const subscriptions = subscriptionsFrom(flags.mapping)
  if (subscriptions.length !== 1)
    throw new UsageError(
      `${flags.mapping} holds ${subscriptions.length} subscriptions; test runs each event through one (preview can compare several).`
    )
  return subscriptions
}

async function runSuiteCommand(paths: string[], flags: TestFlags, context: CommandContext): Promise<void> {
  const print = lineWriter(context.out, context.redactor)
  const subscriptions = oneSubscription(flags)
  if (flags.reporter) checkReportFile(flags.reporter[1], 'The JUnit report (--reporter junit)', paths)
  const suite = await loadSuite(paths)
  const endpoint = await loadEndpointFile(flags.endpoint ?? DEFAULT_ENDPOINT_FILE, { deadlineMs: flags.jqDeadlineMs })
  const previewer = await createPreviewer({ settings: {}, subscriptions, endpoint })
  let run
  try {
    run = await runSuite(suite, previewer)
  } finally {
    await previewer.close()
  }
  suiteLines(run).forEach(print)
  if (flags.reporter) writeFileSafely(flags.reporter[1], junitXml(run))
  if (flags.update) {
    updateLines(writeExpectations(run)).forEach(print)
    print(`${closingLine(run)} before the update; the expected files now hold what was found.`)
    return context.setExitCode(EXIT_OK)
  }
  print(closingLine(run))
  context.setExitCode(run.failed > 0 ? EXIT_FAILED : EXIT_OK)
}

async function runCoverageCommand(files: string[], flags: TestFlags, context: CommandContext): Promise<void> {
  const print = lineWriter(context.out, context.redactor)
  if (flags.html) checkReportFile(flags.html, 'The coverage page (--html)', files)
  const progress: CoverageProgress = { bytesRead: 0, read: 0, evaluated: 0 }
  const controller = new AbortController()
  const removeHandlers = onStopSignal(() => controller.abort())
  const bar = new CoverageBar(context.err)
  if (context.err.isTTY) bar.start(progress)
  let report
  try {
    report = await runCoverage({
      inputs: files,
      format: flags.format,
      endpointFile: flags.endpoint,
      jqLimits: { deadlineMs: flags.jqDeadlineMs },
      subscriptions: oneSubscription(flags),
      workers: flags.workers ?? availableParallelism(),
      sample: flags.sample === undefined ? undefined : { rate: flags.sample, seed: flags.seed },
      progress,
      signal: controller.signal
    })
  } finally {
    bar.stop()
    removeHandlers()
  }
  const { sampling, read, evaluated } = report
  // A report of no event would say 0% of everything: a sample that picked none is a usage mistake.
  if (sampling && evaluated === 0 && read > 0)
    throw new UsageError(
      `--sample ${sampling.rate} (seed ${
        sampling.seed
      }) picked none of the ${read} events read: nothing to report. Raise the rate (with ${read} events, ${Number(
        Math.min(1, 1 / read).toPrecision(2)
      )} picks one on average) or drop --sample.`
    )
  if (flags.html) writeFileSafely(flags.html, coverageHtml(report))
  if (flags.json) context.out.write(JSON.stringify(report, null, 2) + '\n')
  else coverageLines(report).forEach(print)
  context.setExitCode(report.interrupted ? EXIT_FAILED : EXIT_OK)
}

export function registerTest(program: Command, context: CommandContext): void {
  addJqDeadlineOption(describe(program)).action((paths: string[], flags: TestFlags) => {
    checkFlags(flags)
    return flags.coverage ? runCoverageCommand(paths, flags, context) : runSuiteCommand(paths, flags, context)
  })
}
