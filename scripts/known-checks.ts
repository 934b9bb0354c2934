/**
 * Writes src/endpointModel/jq/knownCheckKeys.json: the compile checks of the shipped endpoint file, done by jq
 * itself, so that the commands need not do them again on every run (see src/endpointModel/jq/knownChecks.ts).
 * `npm run known-checks` runs it after a change to examples/movable-ink-endpoint.json, to jq-web or to the
 * sandbox's prelude; test/endpointModel/knownChecks.test.ts fails while the committed file differs.
 */
import { writeFileSync } from 'fs'
import { join } from 'path'
import { closeJqEngine } from '../src/endpointModel'
import { shippedEndpointChecks } from '../src/endpointModel/shippedChecks'

const FILE = join(__dirname, '..', 'src', 'endpointModel', 'jq', 'knownCheckKeys.json')

shippedEndpointChecks()
  .then((known) => {
    writeFileSync(FILE, JSON.stringify(known, null, 2) + '\n')
    console.log(`Wrote ${FILE}: ${known.compiles.length} checks known to compile (jq-web ${known.jqWeb}).`)
  })
  .catch((error: Error) => {
    console.error(`known-checks: ${error.message}`)
    process.exitCode = 1
  })
  .finally(() => closeJqEngine())
