import type { CheckResult } from '../../src/studio/apiTypes'
import { htmlReport } from '../../src/studio/exportReport'
import { markdownReport } from '../../src/studio/markdownReport'

/** The report shows each reason of a verdict as it is: a reason with "; " in it stays one reason. */

const check: CheckResult = {
  items: [
    {
      id: 1,
      source: '/tmp/samples/events.jsonl',
      line: 3,
      event: 'track "Order Completed"',
      subscriptions: [],
      results: [],
      verdict: {
        status: 'refused',
        mapping: '',
        why: ['properties.total is "12; 3", not a number', 'no userId or anonymousId'],
        warnings: []
      }
    }
  ],
  summary: { events: 1, withErrors: 1, mapped: 0, unmapped: 0, line: '' } as unknown as CheckResult['summary'],
  endpointWarnings: [],
  boxWarnings: [],
  suite: { events: [{ state: 'none', differences: [] }], matched: 0, differ: 0, none: 1, leftovers: [], versions: {} }
}

it('lists each reason once, whole, in both formats', () => {
  const spec = { endpointKey: 'k', mappings: [] }
  const md = markdownReport(check, spec, new Date(0))
  expect(md.split('\n').filter((l) => l.startsWith('- problem: '))).toEqual([
    '- problem: properties.total is "12; 3", not a number',
    '- problem: no userId or anonymousId'
  ])
  const html = htmlReport(check, spec, new Date(0))
  expect(html).toContain(
    '<ul class="problems"><li>properties.total is &quot;12; 3&quot;, not a number</li><li>no userId'
  )
})
