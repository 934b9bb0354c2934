import type { EventEvaluation } from '../../src/endpointModel'
import { summarizePreview } from '../../src/preview/previewSummary'
import type { PreviewItem, PreviewResult } from '../../src/preview/previewTypes'

/** The summary's counts: only what would be sent is counted as sent, and events left out on purpose apart. */

const evaluation = (over: Partial<EventEvaluation>): EventEvaluation => ({
  otherMatches: [],
  fields: [],
  problems: [],
  warnings: [],
  warningCodes: [],
  ...over
})

function item(line: number, event: string, result: Partial<PreviewResult>): PreviewItem {
  const base: PreviewResult = { subscription: 's', errors: [], errorRules: [], warnings: [], warningCodes: [] }
  return { source: 'x.jsonl', line, event, subscriptions: [], results: [{ ...base, ...result }] }
}

const mapped = evaluation({ mapping: { index: 0, name: 'M', schema: 'Custom' } })
const unmapped = evaluation({ problems: [{ kind: 'unmapped', message: 'none' }] })
const decided = evaluation({
  problems: [{ kind: 'not-for-movable-ink', message: 'on purpose' }],
  notForMovableInk: { index: 0, reason: 'r', by: 'event "Cart Viewed"' }
})

describe('summarizePreview', () => {
  it('counts as sent only events the destination does not refuse, and events left out on purpose apart', () => {
    const summary = summarizePreview([
      item(1, 'track "A"', { movableInk: mapped }),
      // Refused by the destination: Movable Ink's model still evaluates its mapped Data, but nothing is sent.
      item(2, 'track "B"', { errors: ['no timestamp'], errorRules: ['timestamp'], movableInk: mapped }),
      item(3, 'track "Cart Viewed"', { movableInk: decided }),
      item(4, 'track "C"', { movableInk: unmapped })
    ])
    expect(summary).toMatchObject({ events: 4, withErrors: 1, mapped: 1, unmapped: 1, notForMovableInk: 1 })
    expect(summary.line.split('\n')[1]).toBe(
      '1 of 3 events that would be sent matches a Movable Ink event mapping; 1 not for Movable Ink (on purpose); unmapped: track "C" (line 4); 1 not sent (no subscription, malformed or refused).'
    )
  })
})
