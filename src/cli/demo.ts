import { rmSync } from 'fs'
import { dirname, join, relative } from 'path'
import { isObject } from '@segment/actions-core'
import type { EventEvaluation } from '../endpointModel'
import { restampedExamples } from './demoEvents'
import { loadEndpoint } from './preview'
import { describeEvent } from './runtime'
import { runSend } from './send'
import type { SendSummary } from './send'
import { defaultRecordFile, startStandIn } from './standIn'
import type { StandInStats } from './standIn'
import type { EventVerdict } from './standInChecks'

/**
 * `demo` (what `npm start` runs): the bundled examples, re-stamped to now, delivered through the destination to
 * the embedded stand-in acting as a Movable Ink endpoint with the default event mappings; then, per event, the
 * mapping Movable Ink would use and its fields, or why none takes it.
 */

interface Seen {
  event: string
  evaluation?: EventEvaluation
  verdict: EventVerdict
}

function describeSeen(seen: Seen): string {
  const name = seen.event.padEnd(32)
  const mapping = seen.evaluation?.mapping
  if (seen.verdict.fate === 'refused') return `  ✗ ${name} refused: ${seen.verdict.reason ?? ''}`
  if (!mapping) return `  ! ${name} stored, but no event mapping takes it`
  const fields = (seen.evaluation?.fields ?? []).filter((f) => f.present).map((f) => f.name)
  return `  ✓ ${name} → "${mapping.name}" (schema ${mapping.schema}): ${fields.join(', ')}`
}

export interface DemoResult {
  summary: SendSummary
  stats: StandInStats
  /** Every failure was the stand-in refusing an event the event mappings cannot take, as shown. */
  asExpected: boolean
}

export async function runDemo(examplesDir: string, record?: string, out = process.stdout): Promise<DemoResult> {
  const endpoint = await loadEndpoint(undefined)
  const recordFile = record ?? defaultRecordFile()
  const seen: Seen[] = []
  const username = 'movable-ink-demo'
  const password = `demo-${process.pid}-${Date.now()}`
  const standIn = await startStandIn({
    username,
    password,
    record: recordFile,
    endpoint,
    onEvent: (event, evaluation, verdict) =>
      seen.push({ event: isObject(event) ? describeEvent(event) : 'not an object', evaluation, verdict })
  })
  const shownEndpoint = relative(process.cwd(), endpoint.source ?? '') || endpoint.source
  out.write('Delivering the bundled example events (examples/events) through the Movable Ink destination\n')
  out.write(`to the embedded Movable Ink stand-in at ${standIn.url}, with the event mappings of ${shownEndpoint}.\n`)
  const examples = restampedExamples(join(examplesDir, 'events'))
  let summary: SendSummary
  try {
    summary = await runSend({
      files: [examples],
      url: standIn.url,
      username,
      accessSecret: password,
      concurrency: 1,
      retries: 3,
      retryBaseMs: 200,
      maxDelayMs: 5000,
      verbose: true,
      failed: join(dirname(recordFile), `demo-failed-${process.pid}.jsonl`),
      // The demo's events are re-stamped copies in a temporary folder: nothing to resume.
      journal: false,
      // The demo never uses a real endpoint, whatever the environment says.
      ignoreEnvironment: true
    })
  } finally {
    rmSync(dirname(examples), { recursive: true, force: true })
    await standIn.close()
  }
  out.write(`\nWhat Movable Ink's event mappings made of them:\n${seen.map(describeSeen).join('\n')}\n`)
  const { stats } = standIn
  out.write(`The stand-in stored ${stats.events} events in ${recordFile}; it refused ${stats.refusedEvents}.\n`)
  const asExpected = summary.failed === stats.refusedEvents
  if (stats.refusedEvents > 0 && asExpected)
    out.write(
      `The refused event${
        stats.refusedEvents === 1 ? ' has' : 's have'
      } no event mapping in the default endpoint file: ` +
        'that is what Movable Ink does with an event nobody mapped. Add a mapping to the file (see README) and run again.\n'
    )
  return { summary, stats, asExpected }
}
