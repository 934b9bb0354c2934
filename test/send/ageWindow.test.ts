import { AgeWindow } from '../../src/send/ageWindow'

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
