import { AgeWindow } from '../../src/send/ageWindow'
import { summaryLines, Tally } from '../../src/send/summary'

const NOW = Date.parse('2026-12-01T12:00:00.000Z')
const DAY = 24 * 60 * 60 * 1000
const at = (ms: number) => ({ timestamp: new Date(ms).toISOString() })

describe("send's age window (Movable Ink's 30 days by default)", () => {
  const window = new AgeWindow(30, NOW)

  it('lets through an event up to exactly 30 days old and holds back an older one', () => {
    expect(window.tooOld(at(NOW - 30 * DAY))).toBeUndefined()
    expect(window.tooOld(at(NOW - 30 * DAY - 1))).toMatch(
      /is 30 days old, and Movable Ink does not accept data older than 30 days: not sent\. To send it anyway, replay this file with --max-age-days 0\./
    )
    expect(window.tooOld(at(NOW - 400 * DAY))).toMatch(/is 400 days old/)
  })

  it('leaves an event without a readable timestamp to the destination, which refuses it', () => {
    expect(window.tooOld({})).toBeUndefined()
    expect(window.tooOld({ timestamp: 'yesterday' })).toBeUndefined()
    expect(window.tooOld({ timestamp: 1_700_000_000_000 })).toBeUndefined()
  })

  it('names another window, and 0 turns it off', () => {
    expect(new AgeWindow(7, NOW).tooOld(at(NOW - 8 * DAY))).toMatch(/the window is 7 days \(--max-age-days\)/)
    expect(new AgeWindow(0, NOW).tooOld(at(NOW - 4000 * DAY))).toBeUndefined()
  })

  it('keeps its clock for the whole run', () => {
    const fixed = new AgeWindow(30)
    const event = at(fixed.now - 30 * DAY + 50)
    expect(fixed.tooOld(event)).toBeUndefined()
  })
})

describe('the summary of events too old, by day', () => {
  it('counts each event under the UTC day of its timestamp, and names the first ten days', () => {
    expect(AgeWindow.dayOf({ timestamp: '2025-05-01T23:59:59.999-01:00' })).toBe('2025-05-02')
    expect(AgeWindow.dayOf({ timestamp: 'yesterday' })).toBe('unknown')
    const tally = new Tally()
    for (let day = 1; day <= 12; day++)
      for (let i = 0; i < day; i++) tally.countTooOld(`2025-05-${String(day).padStart(2, '0')}`)
    expect(tally.summary).toMatchObject({ tooOld: 78, failed: 0 })
    expect(tally.summary.tooOldByDay['2025-05-12']).toBe(12)
    const lines = summaryLines(tally.finish(1000), tally.examples)
    expect(lines[1]).toContain('0 failed, 78 too old')
    expect(lines[2]).toMatch(
      /\(not sent, not in the failed-events file\): 2025-05-01: 1, 2025-05-02: 2, .*2025-05-10: 10, and 2 more days\. To deliver them anyway/
    )
  })
})
