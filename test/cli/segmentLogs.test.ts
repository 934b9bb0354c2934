import { readdirSync, readFileSync, rmSync } from 'fs'
import { join } from 'path'
import { constants, gunzipSync } from 'zlib'
import { writeSegmentLogs } from '../events/segmentLogs'
import { eventsOfBody, readJsonLines, runMain, tempDir } from './helpers'

/**
 * Segment's S3 archive as a customer hands it over: `segment-logs/<source-id>/<received-day>/<file>.gz`,
 * gzipped hourly files over several days, one day older than Movable Ink's 30 days, one file cut short, one
 * of two gzip members. send, preview and test --coverage read the source's folder as it is.
 */

const dir = tempDir()
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const logs = writeSegmentLogs(dir)

/** Events whole before the cut of the truncated file: as much as its bytes decompress to, in whole lines. */
const beforeCut =
  gunzipSync(readFileSync(logs.truncatedFile), { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8').split('\n')
    .length - 1
const CUT = /gzip data is cut short at byte \d+ \(a file still being copied, or a download cut off\)/

describe('send segment-logs/<source-id>/', () => {
  it("backfills the source: every file's events, the day folders older than the window skipped unopened", async () => {
    const [failed, summaryFile, record] = ['failed.jsonl', 'summary.json', 'record.jsonl'].map((f) => join(dir, f))
    const args = ['send', logs.source, '--batch', '10', '--no-journal', '--failed', failed]
    const run = await runMain([...args, '--summary-json', summaryFile, '--record', record], { cwd: dir })
    expect(run.stderr).toBe('')
    // The cut file is one failure: exit 1, and a message naming the file and the byte.
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/Skipped 1 day folder \(2 files, not opened\): Segment received their events more/)
    expect(run.stdout).toMatch(/^Skipped 1 expected file in the folders given \(.*\): a suite's \*\.expected\.json/m)
    expect(run.stdout).toMatch(/^Skipped 1 file of the folders given, not events: 1 text that is not JSON events/m)
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'))
    expect(summary).toMatchObject({
      read: logs.readable + beforeCut + 1,
      sent: logs.readable + beforeCut,
      malformed: 1,
      tooOld: 0,
      skippedInputs: { dayFolders: 1, filesInDayFolders: 2 }
    })
    const stored = readJsonLines(record).flatMap((request) => eventsOfBody(request.body))
    expect(new Set(stored.map((e) => e.messageId)).size).toBe(logs.readable + beforeCut)
    // The failed-events file holds text only: the failure, and no byte of the gzip.
    const failures = readJsonLines(failed)
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatchObject({ raw: '', movableInkFailure: { source: logs.truncatedFile } })
    expect(failures[0].movableInkFailure.reason).toMatch(CUT)
    const text = readFileSync(failed, 'utf8')
    expect(text.includes('\ufffd') || text.includes('\u0000')).toBe(false)
  }, 60_000)
})

describe('preview and test --coverage of the same folder', () => {
  const all = 2 * logs.oldEvents + logs.readable - logs.oldEvents + beforeCut + 1

  it('preview reads every day (it has no window), names the cut, and lists what it skipped', async () => {
    const run = await runMain(['preview', logs.source], { cwd: dir })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(new RegExp(`^${all} events previewed, 1 with errors`, 'm'))
    expect(run.stdout).toMatch(CUT)
    expect(run.stdout).toMatch(/^Skipped 1 file of the folders given, not events/m)
  }, 60_000)

  it('test --coverage counts the same events and the cut as one malformed line', async () => {
    const html = join(dir, 'coverage.html')
    const run = await runMain(['test', '--coverage', logs.source, '--json', '--html', html, '--workers', '1'], {
      cwd: dir
    })
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout)
    expect(report).toMatchObject({ read: all, evaluated: all, malformed: { count: 1 } })
    expect(report.malformed.message).toMatch(CUT)
    expect(report.skipped.map((s: { why: string }) => s.why).sort()).toEqual([
      'an expected file of a test suite',
      'text that is not JSON events'
    ])
    expect(readFileSync(html, 'utf8')).toMatch(/<p>Skipped 1 file of the folders given, not events: 1 text that/)
    expect(readdirSync(dir).filter((f) => f.startsWith('movable-ink-failed'))).toEqual([])
  }, 60_000)
})
