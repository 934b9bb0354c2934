import { readFile } from 'fs/promises'
import { relative } from 'path'
import { DEFAULT_ENDPOINT_FILE, expressionsOf } from './compileEndpoint'
import { readEndpointSpec } from './endpointSpec'
import { checkJqExpression, knownChecksOf } from './jq'
import type { KnownChecks } from './jq'
import { PROJECT_ROOT } from '../io/projectFiles'

/**
 * What jq/knownCheckKeys.json should hold: each expression of the shipped endpoint file checked by jq itself
 * (never from the file it is about to write), those that compile kept. `npm run known-checks` writes it; a
 * test compares.
 */
export async function shippedEndpointChecks(): Promise<KnownChecks> {
  const { spec } = readEndpointSpec(JSON.parse(await readFile(DEFAULT_ENDPOINT_FILE, 'utf8')))
  const expressions = expressionsOf(spec).map(({ expression }) => expression)
  const checks = await Promise.all(expressions.map((e) => checkJqExpression(e, undefined, { known: false })))
  const compiled = expressions.filter((_, i) => checks[i].kind === 'compiles')
  return knownChecksOf(relative(PROJECT_ROOT, DEFAULT_ENDPOINT_FILE), compiled)
}
