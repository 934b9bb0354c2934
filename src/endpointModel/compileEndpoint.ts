import { readFile } from 'fs/promises'
import { resolve } from 'path'
import { jqCompileError } from './jq'
import { endpointProgram } from './endpointProgram'
import { readEndpointSpec } from './endpointSpec'
import { schemaWarnings } from './schemas'
import { EndpointFileError } from './types'
import type { EndpointProblem, EndpointSpec } from './types'

/** The endpoint file shipped with the project: Movable Ink's predefined schemas for Segment's event spec. */
export const DEFAULT_ENDPOINT_FILE = resolve(__dirname, '../../examples/movable-ink-endpoint.json')

export interface CompiledEndpoint {
  readonly spec: EndpointSpec
  /** The file it came from, for messages. */
  readonly source?: string
  /** Things Movable Ink's dashboard would accept but Test Mapping would fail on (not errors). */
  readonly warnings: string[]
  /** Every mapping as one jq program (see endpointProgram). */
  readonly program: string
}

/** jq's verdict per expression, kept for the run: the studio recompiles on every edit, mostly the same text. */
const compileErrors = new Map<string, Promise<string | undefined>>()

function compileErrorOf(expression: string): Promise<string | undefined> {
  let verdict = compileErrors.get(expression)
  if (!verdict) {
    verdict = jqCompileError(expression)
    compileErrors.set(expression, verdict)
  }
  return verdict
}

async function jqProblems(spec: EndpointSpec): Promise<EndpointProblem[]> {
  const checks: Promise<EndpointProblem | undefined>[] = []
  const check = (expression: string, at: Omit<EndpointProblem, 'message'>) => {
    if (!expression) return
    checks.push(
      compileErrorOf(expression).then((error) =>
        error === undefined ? undefined : { ...at, message: `is not valid jq: ${error}` }
      )
    )
  }
  spec.mappings.forEach((m, mapping) => {
    check(m.match, { where: `mappings[${mapping}].match`, mapping, property: 'match' })
    m.fields.forEach((f, field) =>
      check(f.path, { where: `mappings[${mapping}].fields[${field}].path`, mapping, field, property: 'path' })
    )
  })
  return (await Promise.all(checks)).filter((p): p is EndpointProblem => p !== undefined)
}

/** The problems as they appear in the file, top to bottom, each mapping named. */
function inFileOrder(problems: EndpointProblem[], spec: EndpointSpec): EndpointProblem[] {
  const rank = (p: EndpointProblem) => [p.mapping ?? -1, p.field ?? -1]
  return problems
    .map((p, i) => ({ p, i, r: rank(p) }))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.i - b.i)
    .map(({ p }) => {
      const name = p.mapping === undefined ? undefined : spec.mappings[p.mapping]?.name
      return name ? { ...p, mappingName: name } : p
    })
}

/** Checks an endpoint file's parsed JSON, every jq expression with jq itself; throws EndpointFileError. */
export async function compileEndpoint(value: unknown, source?: string): Promise<CompiledEndpoint> {
  const { spec, problems } = readEndpointSpec(value)
  problems.push(...(await jqProblems(spec)))
  if (problems.length > 0) throw new EndpointFileError(inFileOrder(problems, spec), source)
  return { spec, source, warnings: schemaWarnings(spec), program: endpointProgram(spec) }
}

/** Where a JSON.parse error is, as line and column, since editors show those rather than offsets. */
function jsonErrorAt(text: string, error: Error): string {
  const given = /position (\d+)/.exec(error.message)
  const position = given ? Number(given[1]) : firstBadOffset(text)
  if (position === undefined) return error.message
  const before = text.slice(0, position)
  const line = before.split('\n').length
  const column = before.length - before.lastIndexOf('\n')
  return `${error.message} (line ${line}, column ${column})`
}

/** Whether JSON.parse fails on `prefix` before its end, rather than only for being cut short. */
function failsInside(prefix: string): boolean {
  try {
    JSON.parse(prefix)
    return false
  } catch (error) {
    const message = (error as Error).message
    if (/Unexpected end of JSON input/.test(message)) return false
    const at = /position (\d+)/.exec(message)
    return !at || Number(at[1]) < prefix.length
  }
}

/**
 * Node 20's JSON.parse names no position for some mistakes ("Unexpected token ','"): the shortest prefix of
 * the text that fails before its end ends with the offending character, found by bisection.
 */
function firstBadOffset(text: string): number | undefined {
  if (!failsInside(text)) return undefined
  let good = 0
  let bad = text.length
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2)
    if (failsInside(text.slice(0, middle))) bad = middle
    else good = middle
  }
  return bad - 1
}

export async function loadEndpointFile(path: string): Promise<CompiledEndpoint> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read'
    throw new EndpointFileError([{ where: '(file)', message: `${reason} (${(error as Error).message})` }], path)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new EndpointFileError(
      [{ where: '(file)', message: `is not valid JSON: ${jsonErrorAt(text, error as Error)}` }],
      path
    )
  }
  return compileEndpoint(value, path)
}
