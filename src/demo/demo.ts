import { rmSync } from 'fs'
import { dirname, join, relative } from 'path'
import { isObject } from '@segment/actions-core'
import { DEFAULT_ENDPOINT_FILE, loadEndpointFile } from '../endpointModel'
import type { EventEvaluation } from '../endpointModel'
import { describeEvent } from '../events/describeEvent'
import { restampedExamples } from '../events/restamp'
import { Redactor } from '../runtime/redactor'
import { presetSubscriptions } from '../runtime/subscriptions'
import { checkInputs } from '../send/inputs'
import { SendRun } from '../send/runSend'
import type { SendResult } from '../send/runSend'
import { TextReport } from '../send/textReport'
import type { EventVerdict } from '../standIn/checks'
import { defaultRecordFile } from '../standIn/record'
import { startStandIn } from '../standIn/standIn'
import type { StandIn } from '../standIn/standIn'
import type { StandInStats } from '../standIn/stats'

/**
 * `demo` (what `npm start` runs): the bundled examples, re-stamped to now, delivered through the destination to
 * the embedded stand-in acting as a Movable Ink endpoint with the default event mappings; then, per event, the
 * mapping Movable Ink would use and its fields, or why none takes it. Every line goes to `print`.
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
  send: SendResult
  stats: StandInStats
  /** Every failure was the stand-in refusing an event the event mappings cannot take, as shown. */
  asExpected: boolean
}

const USERNAME = 'movable-ink-demo'

async function deliverExamples(
  examplesDir: string,
  standIn: StandIn,
  password: string,
  recordFile: string,
  print: (line: string) => void
) {
  const examples = restampedExamples(join(examplesDir, 'events'))
  const [subscription] = presetSubscriptions()
  const redactor = new Redactor().add(USERNAME, password)
  try {
    const run = await SendRun.open(
      {
        files: [examples],
        subscription,
        concurrency: 1,
        retries: 3,
        retryBaseMs: 200,
        maxDelayMs: 5000,
        failed: join(dirname(recordFile), `demo-failed-${process.pid}.jsonl`),
        // The demo's events are re-stamped copies in a temporary folder: nothing to resume.
        journal: false
      },
      checkInputs([examples]),
      redactor
    )
    const settings = { movable_ink_url: standIn.url, username: USERNAME, password }
    return await run.deliver(
      settings,
      new TextReport(print, redactor, { verbose: true, subscribe: subscription.subscribe })
    )
  } finally {
    rmSync(dirname(examples), { recursive: true, force: true })
  }
}

export async function runDemo(
  examplesDir: string,
  print: (line: string) => void,
  record?: string
): Promise<DemoResult> {
  const endpoint = await loadEndpointFile(DEFAULT_ENDPOINT_FILE)
  const recordFile = record ?? defaultRecordFile()
  const seen: Seen[] = []
  const password = `demo-${process.pid}-${Date.now()}`
  const onEvent = (event: unknown, evaluation: EventEvaluation | undefined, verdict: EventVerdict) =>
    seen.push({ event: isObject(event) ? describeEvent(event) : 'not an object', evaluation, verdict })
  const standIn = await startStandIn({ username: USERNAME, password, record: recordFile, endpoint, onEvent })
  const shownEndpoint = relative(process.cwd(), endpoint.source ?? '') || endpoint.source
  print('Delivering the bundled example events (examples/events) through the Movable Ink destination')
  print(`to the embedded Movable Ink stand-in at ${standIn.url}, with the event mappings of ${shownEndpoint}.`)
  let send: SendResult
  try {
    send = await deliverExamples(examplesDir, standIn, password, recordFile, print)
  } finally {
    await standIn.close()
  }
  send.lines.forEach(print)
  print(`\nWhat Movable Ink's event mappings made of them:\n${seen.map(describeSeen).join('\n')}`)
  const { stats } = standIn
  print(`The stand-in stored ${stats.events} events in ${recordFile}; it refused ${stats.refusedEvents}.`)
  const asExpected = send.summary.failed === stats.refusedEvents
  if (stats.refusedEvents > 0 && asExpected)
    print(
      `The refused event${
        stats.refusedEvents === 1 ? ' has' : 's have'
      } no event mapping in the default endpoint file: ` +
        'that is what Movable Ink does with an event nobody mapped. Add a mapping to the file (see README) and run again.'
    )
  return { send, stats, asExpected }
}
