import { readFileSync } from 'fs'
import { closeJqEngine, DEFAULT_ENDPOINT_FILE } from '../../src/endpointModel'
import { readEndpointSpec } from '../../src/endpointModel/endpointSpec'
import { checkJqExpression } from '../../src/endpointModel/jq'
import KNOWN from '../../src/endpointModel/jq/knownCheckKeys.json'
import { shippedEndpointChecks } from '../../src/endpointModel/shippedChecks'
import * as workerThread from '../../src/io/workerThread'

/**
 * The shipped endpoint file's compile checks are known ahead (src/endpointModel/jq/knownChecks.ts): no command
 * asks jq again, and nothing else passes for known.
 */

afterEach(() => closeJqEngine())

const shipped = readEndpointSpec(JSON.parse(readFileSync(DEFAULT_ENDPOINT_FILE, 'utf8'))).spec
const knownExpression = shipped.mappings[0].match

describe('compile checks known ahead', () => {
  it('are what jq says of the shipped endpoint file today (when not: npm run known-checks)', async () => {
    const file = 'src/endpointModel/jq/knownCheckKeys.json'
    expect({ file, ...KNOWN }).toEqual({ file, ...(await shippedEndpointChecks()) })
  })

  it('answer a shipped expression without starting jq; another expression, or a lower memory cap, asks jq', async () => {
    const starts = jest.spyOn(workerThread, 'startWorker')
    try {
      expect(await checkJqExpression(knownExpression)).toEqual({ kind: 'compiles' })
      expect(starts).not.toHaveBeenCalled()
      expect(await checkJqExpression(`${knownExpression} and true`)).toEqual({ kind: 'compiles' })
      expect(starts).toHaveBeenCalledTimes(1)
      closeJqEngine()
      expect(await checkJqExpression(knownExpression, { memoryCapMb: 64 })).toEqual({ kind: 'compiles' })
      expect(starts).toHaveBeenCalledTimes(2)
    } finally {
      starts.mockRestore()
    }
  })

  it('never let an expression jq refuses pass, however close to a shipped one', async () => {
    const check = await checkJqExpression(`${knownExpression})`)
    expect(check).toMatchObject({ kind: 'compile-error', message: expect.stringContaining('syntax error') })
  })
})
