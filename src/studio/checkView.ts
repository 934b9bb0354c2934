import { basename } from 'path'
import { summarizePreview } from '../preview/previewSummary'
import { suiteCountsText } from './expectations'
import { SUITE_STATES } from './vocabulary'
import type { CheckResult, CheckedItem, CompactCheck } from './apiTypes'

/**
 * A check as the page needs it after each edit: per event its status, the mapping that takes it and why not,
 * with every text sent once (many events share a reason), and events with the same name and the same verdict
 * in one group. The selected event's detail comes with it (studioChecks.ts); every other event's, on selection.
 */

export function compactCheck(check: CheckResult): CompactCheck {
  const texts: string[] = []
  const index = new Map<string, number>()
  const textId = (text: string) => {
    let n = index.get(text)
    if (n === undefined) {
      n = texts.push(text) - 1
      index.set(text, n)
    }
    return n
  }
  const groups = new Map<string, number>()
  const letters = check.suite.events.map((e) => SUITE_STATES[e.state].letter)
  const rows = check.items.map((item, i) => {
    const v = item.verdict
    const why = v.why.map(textId)
    const warnings = v.warnings.map(textId)
    // An event that differs from its expectation is never hidden in a group of alike ones that match.
    const key = JSON.stringify([
      item.event ?? '',
      item.malformed ?? '',
      v.status,
      v.mappingIndex,
      why,
      warnings,
      letters[i]
    ])
    if (!groups.has(key)) groups.set(key, item.id)
    return {
      id: item.id,
      status: v.status,
      mappingIndex: v.mappingIndex ?? null,
      why,
      warnings,
      group: groups.get(key) as number
    }
  })
  // Differences are in each event's detail only: after an edit, a letter per event.
  const { events: _events, ...counts } = check.suite
  const suite = { states: letters.join(''), line: suiteCountsText(counts), ...counts }
  const { endpointWarnings, boxWarnings } = check
  return { summary: pageSummary(check.items), endpointWarnings, boxWarnings, texts, rows, suite }
}

/** The summary as the page and the report show it: events named by file name and line, never a folder path. */
export function pageSummary(items: CheckedItem[]): CheckResult['summary'] {
  return summarizePreview(items.map((item) => ({ ...item, source: basename(item.source) })))
}
