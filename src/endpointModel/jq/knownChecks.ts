import { createHash } from 'crypto'
import { readFileSync } from 'fs'
import { dirname, join } from 'path'
import { DEFAULT_JQ_MEMORY_CAP_MB } from './limits'
import type { ResolvedJqLimits } from './limits'
import { checkProgram } from './sandbox'
import KNOWN from './knownCheckKeys.json'

/**
 * Compile checks whose verdict is known ahead: those of the event mappings the package ships
 * (examples/movable-ink-endpoint.json), which every command run without --endpoint would otherwise check again.
 * jq compiles its builtins on every check, some 4 ms of CPU each, so the shipped file's expressions cost each
 * such command about 0.4 s of CPU before its first event. A check is known by a hash of jq-web's version and
 * the whole check program (the sandbox's prelude included): another jq or another prelude knows none, and so
 * does any other expression, which is checked as always. Only for a memory cap no lower than the default one,
 * the cap they were checked with. `npm run known-checks` writes knownCheckKeys.json from real checks;
 * test/endpointModel/knownChecks.test.ts fails when it is out of date.
 */

/** What knownCheckKeys.json holds. */
export interface KnownChecks {
  /** Where the expressions came from, for whoever reads the file. */
  source: string
  jqWeb: string
  /** The keys (knownCheckKey) of check programs jq compiled. */
  compiles: string[]
}

let jqWebVersion: string | undefined

/** The version of the jq-web this process runs (the package's own, beside jq.js). */
function jqWeb(): string {
  if (jqWebVersion === undefined) {
    const file = join(dirname(require.resolve('jq-web')), 'package.json')
    jqWebVersion = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
  }
  return jqWebVersion
}

export function knownCheckKey(checkProgram: string): string {
  return createHash('sha256').update(`jq-web ${jqWeb()}\n${checkProgram}`).digest('hex').slice(0, 32)
}

let compiles: Set<string> | undefined

/** Whether jq is known to compile this check program within these limits, without asking it. */
export function knownToCompile(checkProgram: string, limits: ResolvedJqLimits): boolean {
  const known = KNOWN as KnownChecks
  if (limits.memoryCapMb < DEFAULT_JQ_MEMORY_CAP_MB || known.jqWeb !== jqWeb()) return false
  compiles ??= new Set(known.compiles)
  return compiles.has(knownCheckKey(checkProgram))
}

/** knownCheckKeys.json's content: the expressions jq compiled (checked with `known: false`), in a stable order. */
export function knownChecksOf(source: string, compiled: string[]): KnownChecks {
  const keys = compiled.map((expression) => knownCheckKey(checkProgram(expression)))
  return { source, jqWeb: jqWeb(), compiles: [...new Set(keys)].sort() }
}
