import {
  closeJqEngine,
  compileEndpoint,
  DEFAULT_ENDPOINT_FILE,
  DEFAULT_JQ_DEADLINE_MS,
  DEFAULT_JQ_MEMORY_CAP_MB,
  loadEndpointFile
} from '../../src/endpointModel'
import type { EndpointFileError } from '../../src/endpointModel'
import { runJqProgram } from '../../src/endpointModel/jq'
import { MIN_COMPILE_DEADLINE_MS, resolveJqLimits } from '../../src/endpointModel/jq/limits'

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

describe('compiling has a floor: a low deadline for events bounds no compile check below 1 s', () => {
  afterAll(() => closeJqEngine())

  it('checks the default endpoint file and starts its program with a 1 ms deadline (a check takes ~3 ms, a start ~50)', async () => {
    // A memory cap under the default, so that jq checks every expression: the shipped file's checks are
    // otherwise known ahead (knownChecks.test.ts).
    const endpoint = await loadEndpointFile(DEFAULT_ENDPOINT_FILE, { deadlineMs: 1, memoryCapMb: 128 })
    expect(endpoint.spec.mappings.length).toBeGreaterThan(10)
    // The event itself may well miss 1 ms on a busy machine; the program's start must not.
    const [answer] = await runJqProgram(endpoint.program as string, ['{"type":"identify","userId":"u"}'], {
      deadlineMs: 1
    })
    expect(answer.kind).not.toBe('not-started')
  })

  it('says the floor, not the deadline, when a compile check is stopped', async () => {
    const mappings = [
      {
        name: 'Slow',
        schema: 'Custom',
        match: '.type == ("x" * 100000000)',
        fields: [{ name: 'UserID', path: '.userId', type: 'string', required: true }]
      }
    ]
    const error = await compileEndpoint({ endpointKey: 'k', mappings }, undefined, { deadlineMs: 5 }).catch(
      (e: unknown) => e
    )
    expect((error as EndpointFileError).problems).toEqual([
      expect.objectContaining({
        where: 'mappings[0].match',
        message: expect.stringMatching(`^jq did not finish compiling it within ${MIN_COMPILE_DEADLINE_MS} ms`)
      })
    ])
    expect(MIN_COMPILE_DEADLINE_MS).toBe(1000)
  })
})
