import { basename } from 'path'
import { summarizePreview } from '../preview/previewSummary'
import { STATE_LETTER, suiteCountsText } from './expectations'
import type { CheckResult, CheckedItem } from './workbench'

/**
 * A check as the page needs it after each edit: per event its status, the mapping that takes it and why not,
 * with every text sent once (many events share a reason), and events with the same name and the same verdict
 * in one group. The selected event's full detail is asked for separately, so an edit's answer stays small.
 */

export interface CompactRow {
  id: number
  status: string
  /** The mapping that takes it, by its place (from 0), or null. */
  mappingIndex: number | null
  /** Index into `texts`, or -1. */
  why: number
  warnings: number[]
  /** Events with the same name and verdict share a group (the first event's id). */
  group: number
}

/** The suite's part: one letter per row (`m` matches expected, `d` differs, `n` no expectation), the counts. */
export interface CompactSuite {
  states: string
  /** The counts in words, as the report says them. */
  line: string
  matched: number
  differ: number
  none: number
  leftovers: string[]
  off?: string
}

export interface CompactCheck {
  summary: CheckResult['summary']
  endpointWarnings: string[]
  boxWarnings: CheckResult['boxWarnings']
  texts: string[]
  rows: CompactRow[]
  suite: CompactSuite
}

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
  const letters = check.suite.events.map((e) => STATE_LETTER[e.state])
  const rows = check.items.map((item, i) => {
    const v = item.verdict
    const why = v.why ? textId(v.why) : -1
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
