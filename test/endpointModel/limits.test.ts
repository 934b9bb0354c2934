import { DEFAULT_JQ_DEADLINE_MS, DEFAULT_JQ_MEMORY_CAP_MB } from '../../src/endpointModel'
import { resolveJqLimits } from '../../src/endpointModel/jq/limits'

describe('jq limits', () => {
  it('default to 1 s per event and 256 MB', () => {
    expect(resolveJqLimits()).toEqual({ deadlineMs: DEFAULT_JQ_DEADLINE_MS, memoryCapMb: DEFAULT_JQ_MEMORY_CAP_MB })
    expect([DEFAULT_JQ_DEADLINE_MS, DEFAULT_JQ_MEMORY_CAP_MB]).toEqual([1000, 256])
    expect(resolveJqLimits({ deadlineMs: 5000 })).toEqual({ deadlineMs: 5000, memoryCapMb: 256 })
  })

  it('refuse a deadline or a cap jq cannot work with', () => {
    expect(() => resolveJqLimits({ deadlineMs: 0 })).toThrow(RangeError)
    expect(() => resolveJqLimits({ deadlineMs: Number.NaN })).toThrow(RangeError)
    expect(() => resolveJqLimits({ memoryCapMb: 16 })).toThrow(/memoryCapMb must be a number of at least 32, not 16/)
  })
})
