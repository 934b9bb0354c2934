import { readFile } from 'fs/promises'
import { join } from 'path'
import { jsonSyntaxErrorAt } from '../io/jsonSyntax'
import { EXAMPLES_DIR } from '../io/projectFiles'
import { endpointProgram } from './endpointProgram'
import { checkJqExpression, prepareJqProgram, resolveJqLimits } from './jq'
import type { JqCheck, JqLimits } from './jq'
import { readEndpointSpec } from './endpointSpec'
import { schemaWarnings } from './schemas'
import { EndpointFileError } from './types'
import type { EndpointProblem, EndpointSpec } from './types'

/** The endpoint file shipped with the project: Movable Ink's predefined schemas for Segment's event spec. */
export const DEFAULT_ENDPOINT_FILE = join(EXAMPLES_DIR, 'movable-ink-endpoint.json')

export interface CompiledEndpoint {
  readonly spec: EndpointSpec
  /** The file it came from, for messages. */
  readonly source?: string
  /** Things Movable Ink's dashboard would accept but Test Mapping would fail on (not errors). */
  readonly warnings: string[]
  /** Every mapping as one jq program (see endpointProgram). */
  readonly program: string
  /** The jq deadline and memory cap it was compiled with, which evaluating its events uses too. */
  readonly limits?: JqLimits
}

/** jq's check of each expression (and limits), kept for the run: the studio recompiles on every edit, mostly the same text. */
const expressionChecks = new Map<string, Promise<JqCheck>>()

function checkOnce(expression: string, limits?: JqLimits): Promise<JqCheck> {
  const { deadlineMs, memoryCapMb } = resolveJqLimits(limits)
  const key = `${deadlineMs} ${memoryCapMb}\n${expression}`
  let check = expressionChecks.get(key)
  if (!check) {
    check = checkJqExpression(expression, limits)
    expressionChecks.set(key, check)
    // jq that did not start says nothing about the expression: ask again next time.
    void check.then((v) => v.kind === 'not-started' && expressionChecks.delete(key))
  }
  return check
}

/** What is wrong with an expression, from jq's check; undefined when it compiles. */
function problemOf(check: JqCheck): string | undefined {
  switch (check.kind) {
    case 'compiles':
      return undefined
    case 'compile-error':
      return `is not valid jq: ${check.message}`
    case 'not-started':
      return `could not be checked: ${check.message}`
  }
  const constants = 'jq computes constant parts such as "x" * 900000000 while compiling'
  if (check.stop.reason === 'deadline')
    return `jq did not finish compiling it within ${check.stop.deadlineMs} ms: ${constants}`
  if (check.stop.reason === 'memory')
    return `jq needed more than ${check.stop.memoryCapMb} MB of memory compiling it: ${constants}`
  if (check.stop.reason === 'stack') return 'jq ran out of stack space compiling it: it is nested too deeply'
  return `could not be checked: ${check.stop.detail}`
}

const JQ_CAUSE: Record<JqCheck['kind'], EndpointProblem['jq']> = {
  compiles: undefined,
  'compile-error': 'syntax',
  'not-started': 'unchecked',
  stopped: 'stopped'
}

/** An endpoint's jq expression, and where it is, as a problem with it would say. */
interface ExpressionPlace {
  expression: string
  at: Omit<EndpointProblem, 'message'>
}

/** Every jq expression of the endpoint (match criteria, field paths, decisions' criteria), in the file's order. */
export function expressionsOf(spec: EndpointSpec): ExpressionPlace[] {
  const places: ExpressionPlace[] = []
  const add = (expression: string | undefined, at: ExpressionPlace['at']) => {
    if (expression) places.push({ expression, at })
  }
  spec.mappings.forEach((m, mapping) => {
    add(m.match, { where: `mappings[${mapping}].match`, mapping, property: 'match' })
    m.fields.forEach((f, field) =>
      add(f.path, { where: `mappings[${mapping}].fields[${field}].path`, mapping, field, property: 'path' })
    )
  })
  spec.notForMovableInk?.forEach((d, decision) =>
    add(d.match, { where: `notForMovableInk[${decision}].match`, decision, property: 'match' })
  )
  return places
}

async function jqProblems(spec: EndpointSpec, limits?: JqLimits): Promise<EndpointProblem[]> {
  const problems = await Promise.all(
    expressionsOf(spec).map(async ({ expression, at }): Promise<EndpointProblem | undefined> => {
      const result = await checkOnce(expression, limits)
      const message = problemOf(result)
      return message === undefined ? undefined : { ...at, message, jq: JQ_CAUSE[result.kind] }
    })
  )
  return problems.filter((p): p is EndpointProblem => p !== undefined)
}

/** The problems as they appear in the file, top to bottom, each mapping named. */
function inFileOrder(problems: EndpointProblem[], spec: EndpointSpec): EndpointProblem[] {
  // The decisions (notForMovableInk) come after the mappings in the file.
  const rank = (p: EndpointProblem) =>
    p.decision === undefined ? [p.mapping ?? -1, p.field ?? -1] : [spec.mappings.length + p.decision, -1]
  return problems
    .map((p, i) => ({ p, i, r: rank(p) }))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.i - b.i)
    .map(({ p }) => {
      const name = p.mapping === undefined ? undefined : spec.mappings[p.mapping]?.name
      return name ? { ...p, mappingName: name } : p
    })
}

/**
 * Checks an endpoint file's parsed JSON, every jq expression with jq itself (each within `limits`); throws
 * EndpointFileError. Its program starts compiling in the engine at once, so that its first events need not wait.
 */
export async function compileEndpoint(value: unknown, source?: string, limits?: JqLimits): Promise<CompiledEndpoint> {
  const { spec, problems } = readEndpointSpec(value)
  problems.push(...(await jqProblems(spec, limits)))
  if (problems.length > 0) throw new EndpointFileError(inFileOrder(problems, spec), source)
  const program = endpointProgram(spec)
  prepareJqProgram(program, limits)
  return { spec, source, warnings: schemaWarnings(spec), program, ...(limits ? { limits } : {}) }
}

/** Where a JSON.parse error is, as line and column, since editors show those rather than offsets. */
function jsonErrorAt(text: string, error: Error): string {
  const position = jsonSyntaxErrorAt(text)
  if (position === undefined) return error.message
  const before = text.slice(0, position)
  const line = before.split('\n').length
  const column = before.length - before.lastIndexOf('\n')
  return `${error.message} (line ${line}, column ${column})`
}

export async function loadEndpointFile(path: string, limits?: JqLimits): Promise<CompiledEndpoint> {
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
  return compileEndpoint(value, path, limits)
}
