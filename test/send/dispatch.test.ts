import { readFileSync, writeFileSync } from 'fs'
import { join } from 'path'
import type { Deliverer } from '../../src/runtime/destinationRunner'
import type { Outcome } from '../../src/runtime/outcome'
import { Redactor } from '../../src/runtime/redactor'
import { AgeWindow } from '../../src/send/ageWindow'
import { Dispatcher } from '../../src/send/dispatch'
import type { Stop } from '../../src/send/dispatch'
import { FailedFile } from '../../src/send/failedFile'
import { JournalWriter } from '../../src/send/journal'
import { OutcomeRecorder } from '../../src/send/outcomes'
import type { SendObserver } from '../../src/send/sendObserver'
import { Slots } from '../../src/send/slots'
import { Tally } from '../../src/send/summary'
import { tempDir } from '../cli/helpers'

/** The dispatcher with a deliverer that throws for the events named "boom": what becomes of them and the rest. */

const dir = tempDir()
let n = 0
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))

const boom = (event: Record<string, unknown>) => event.event === 'boom'

const throwing: Deliverer = {
  async sendOne(event) {
    if (boom(event)) throw new RangeError('Maximum call stack size exceeded')
    return { kind: 'delivered', status: 200 }
  },
  async sendMany(events) {
    if (events.some(boom)) throw new TypeError('could not clone the events')
    return events.map((): Outcome => ({ kind: 'delivered', status: 200 }))
  },
  async close() {
    // nothing to close
  }
}

const silent: SendObserver = {
  note: () => undefined,
  delivered: () => undefined,
  notSubscribed: () => undefined,
  failed: () => undefined,
  malformed: () => undefined
}

async function dispatch(names: string[], batch?: number, failedPath = join(dir, `${n++}-failed.jsonl`)) {
  const input = join(dir, `${n++}-input.jsonl`)
  writeFileSync(
    input,
    names.map((name, i) => JSON.stringify({ type: 'track', event: name, messageId: `m${i}` })).join('\n') + '\n'
  )
  const journalPath = join(dir, `${n++}-journal.jsonl`)
  const journal = JournalWriter.create(journalPath, {
    journal: 'movable-ink send journal',
    version: 1,
    createdAt: new Date().toISOString(),
    inputs: [],
    failedFile: failedPath
  })
  const tally = new Tally()
  const failedFile = new FailedFile(failedPath, new Redactor())
  const stop: Stop = { requested: false }
  const stopped: Error[] = []
  const dispatcher = new Dispatcher(
    { deliverer: throwing, batch, policy: { retries: 2, retryBaseMs: 1, maxDelayMs: 1 }, slots: new Slots(4) },
    { matches: () => true, window: new AgeWindow(0) },
    {
      recorder: new OutcomeRecorder(tally, silent, failedFile, journal),
      tally,
      report: silent,
      stop,
      failure: () => journal.failure,
      stopping: (error) => stopped.push(error)
    }
  )
  await dispatcher.run({ files: [input], format: 'auto', progress: { bytesRead: 0 }, inputDone: () => undefined })
  await Promise.all([failedFile.close(), journal.close()])
  return { tally, stop, stopped, failedPath, journal: lines(journalPath).slice(1) }
}

describe("dispatch: an exception of one event is that event's failure", () => {
  it('one event per request: the event that throws fails, in the failed-events file and the journal', async () => {
    const { tally, stop, failedPath, journal } = await dispatch(['ok', 'boom', 'ok'])
    expect(tally.summary).toMatchObject({ read: 3, sent: 2, failed: 1, retries: 0 })
    expect(stop).toEqual({ requested: false })
    const [record] = lines(failedPath)
    expect(record).toMatchObject({
      event: { event: 'boom', messageId: 'm1' },
      movableInkFailure: {
        errortype: 'INTERNAL_ERROR',
        line: 2,
        reason: 'The event could not be processed: Maximum call stack size exceeded.'
      }
    })
    expect(journal.map((l) => `${l.messageId}:${l.outcome}`).sort()).toEqual([
      'm0:delivered',
      'm1:failed',
      'm2:delivered'
    ])
  })

  it('batches: the events of the batch that throws fail, each recorded; other batches are delivered', async () => {
    const { tally, failedPath, journal } = await dispatch(['ok', 'ok', 'ok', 'boom', 'ok'], 2)
    expect(tally.summary).toMatchObject({ read: 5, sent: 3, failed: 2 })
    expect(lines(failedPath).map((r) => r.event.messageId)).toEqual(['m2', 'm3'])
    expect(journal).toHaveLength(5)
  })

  it('a failed-events file that cannot be written stops the run as a signal would, the event not journaled', async () => {
    const { stop, stopped, journal } = await dispatch(['ok', 'boom', 'ok', 'ok'], undefined, '/dev/full')
    expect(stopped).toHaveLength(1)
    expect(stopped[0]).toMatchObject({ name: 'OutputFileError', path: '/dev/full', reason: 'ENOSPC' })
    expect(stop).toMatchObject({ requested: true, writeFailure: stopped[0] })
    expect(stop.error).toBeUndefined()
    expect(journal.some((l) => l.messageId === 'm1')).toBe(false)
  })
})
