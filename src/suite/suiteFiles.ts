import { existsSync, readdirSync, readFileSync, statSync } from 'fs'
import { basename, dirname, extname, join } from 'path'
import { isObject } from '@segment/actions-core'
import { isExpectedFile } from '../events/inputFiles'
import { SuiteError } from './suiteTypes'
import type { Expectation, MovableInkExpectation, SegmentExpectation } from './suiteTypes'

/**
 * A suite's files: the sample files (any shape `send` reads: one event, a JSON array, JSON Lines), each with its
 * expected file beside it, `<name>.expected.json`; and that file's format, checked on load with every mistake
 * named at once, and written back with a fixed key order and formatting so that a change reads well in review.
 */

export interface SampleFile {
  /** As given, or joined to the folder given: the name shown in the output. */
  path: string
  expectedPath: string
}

export const SAMPLE_EXTENSIONS = ['.json', '.jsonl', '.ndjson']
export const EXPECTED_SUFFIX = '.expected.json'

/** Whether a file name is an expected file's (`<name>.expected.json`), never a sample. */
/** The rule is the events reader's, which leaves these files out of a folder of events. */
export const isExpected = isExpectedFile

export function expectedPathOf(sample: string): string {
  return join(dirname(sample), basename(sample, extname(sample)) + EXPECTED_SUFFIX)
}

/** The sample an expected file given on the command line belongs to. */
function sampleOfExpected(file: string): string {
  const stem = file.slice(0, file.length - EXPECTED_SUFFIX.length)
  const found = SAMPLE_EXTENSIONS.map((ext) => stem + ext).filter((candidate) => existsSync(candidate))
  if (found.length === 0)
    throw new SuiteError([
      `${file} is an expected file, but there is no sample beside it (${SAMPLE_EXTENSIONS.map(
        (e) => basename(stem) + e
      ).join(', ')}): give the sample file or its folder.`
    ])
  return found[0]
}

function samplesOfFolder(folder: string): string[] {
  const names = readdirSync(folder).filter(
    (name) => SAMPLE_EXTENSIONS.includes(extname(name).toLowerCase()) && !isExpected(name)
  )
  if (names.length === 0)
    throw new SuiteError([
      `The folder ${folder} holds no sample files (${SAMPLE_EXTENSIONS.join(', ')}, besides *${EXPECTED_SUFFIX}).`
    ])
  return names.sort().map((name) => join(folder, name))
}

/** The sample files of the suite arguments: files, folders (their samples in name order) or expected files. */
export function findSamples(paths: string[]): SampleFile[] {
  if (paths.length === 0)
    throw new SuiteError([
      'No suite given: name one or more folders of sample events (or sample files); each sample file has its expectations beside it in <name>.expected.json (docs/test.md).'
    ])
  const samples: string[] = []
  for (const path of paths) {
    if (path === '-')
      throw new SuiteError(['A suite cannot be read from stdin (-): its expectations live beside its files.'])
    let folder: boolean
    try {
      folder = statSync(path).isDirectory()
    } catch {
      throw new SuiteError([`${path} does not exist or cannot be read.`])
    }
    if (folder) samples.push(...samplesOfFolder(path))
    else samples.push(isExpected(path) ? sampleOfExpected(path) : path)
  }
  const byExpected = new Map<string, string>()
  const problems: string[] = []
  for (const sample of [...new Set(samples)]) {
    const expectedPath = expectedPathOf(sample)
    const other = byExpected.get(expectedPath)
    if (other !== undefined)
      problems.push(`${other} and ${sample} would share the expected file ${expectedPath}: rename one of them.`)
    else byExpected.set(expectedPath, sample)
  }
  if (problems.length > 0) throw new SuiteError(problems)
  return [...byExpected].map(([expectedPath, path]) => ({ path, expectedPath }))
}

const ENTRY_KEYS = ['line', 'event', 'segment', 'movableInk']
const MOVABLE_INK_KEYS = ['mapping', 'refused', 'fields']
const RULES = ['mapping', 'timestamp', 'identity', 'headers', 'size']
const PROBLEM_KINDS = ['unmapped', 'missing-required', 'wrong-type', 'jq-error']

class Problems {
  readonly list: string[] = []
  constructor(private readonly file: string) {}
  add(where: string, message: string): void {
    this.list.push(`${this.file}: ${where}: ${message}`)
  }
}

function unknownKeys(value: Record<string, unknown>, known: string[], where: string, problems: Problems): void {
  for (const key of Object.keys(value))
    if (!known.includes(key)) problems.add(`${where}.${key}`, `unknown property (allowed: ${known.join(', ')})`)
}

function stringList(value: unknown, where: string, problems: Problems, check: (s: string) => string | undefined) {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    problems.add(where, 'must be a list of strings')
    return []
  }
  for (const item of value as string[]) {
    const wrong = check(item)
    if (wrong) problems.add(where, wrong)
  }
  return value as string[]
}

function checkRule(rule: string): string | undefined {
  if (RULES.includes(rule) || /^runtime:\S+$/.test(rule)) return undefined
  return `${JSON.stringify(rule)} is not a rule: use ${RULES.join(', ')} or runtime:<code>`
}

function checkReason(reason: string): string | undefined {
  const kind = reason.split(':')[0].trim()
  if (PROBLEM_KINDS.includes(kind)) return undefined
  return `${JSON.stringify(reason)} is not a refusal reason: use ${PROBLEM_KINDS.join(
    ', '
  )}, with ": <field>" for a field's`
}

function readSegment(value: unknown, where: string, problems: Problems): SegmentExpectation | undefined {
  if (value === 'sent' || value === 'not subscribed') return value
  if (isObject(value) && Object.keys(value).length === 1 && 'refused' in value)
    return { refused: stringList(value.refused, `${where}.refused`, problems, checkRule) }
  problems.add(where, 'must be "sent", "not subscribed" or {"refused": [<rule>, ...]}')
  return undefined
}

function readMovableInk(value: unknown, where: string, problems: Problems): MovableInkExpectation | undefined {
  if (!isObject(value)) {
    problems.add(where, 'must be an object: {"mapping": <name or null>, "refused"?: [...], "fields"?: {...}}')
    return undefined
  }
  unknownKeys(value, MOVABLE_INK_KEYS, where, problems)
  const expectation: MovableInkExpectation = { mapping: null }
  if (typeof value.mapping === 'string' || value.mapping === null) expectation.mapping = value.mapping
  else problems.add(`${where}.mapping`, 'must be the name of an event mapping, or null for none')
  if (value.refused !== undefined)
    expectation.refused = stringList(value.refused, `${where}.refused`, problems, checkReason)
  if (value.fields !== undefined) {
    if (isObject(value.fields)) expectation.fields = value.fields
    else problems.add(`${where}.fields`, 'must be an object of field names and their expected values')
  }
  return expectation
}

function readEntry(value: unknown, where: string, problems: Problems): Expectation {
  if (!isObject(value)) {
    problems.add(where, 'must be an object such as {"line": 1, "event": "identify", "segment": "sent"}')
    return {}
  }
  unknownKeys(value, ENTRY_KEYS, where, problems)
  const entry: Expectation = {}
  if (value.line !== undefined) {
    if (Number.isInteger(value.line) && (value.line as number) > 0) entry.line = value.line as number
    else problems.add(`${where}.line`, 'must be a line number (1 or more)')
  }
  if (value.event !== undefined) {
    if (typeof value.event === 'string') entry.event = value.event
    else problems.add(`${where}.event`, 'must be the event as preview names it, such as "track \\"Order Completed\\""')
  }
  if (value.segment !== undefined) entry.segment = readSegment(value.segment, `${where}.segment`, problems)
  if (value.movableInk !== undefined)
    entry.movableInk = readMovableInk(value.movableInk, `${where}.movableInk`, problems)
  return entry
}

/** An expected file's entries (undefined when there is none yet); its mistakes are added to `problems`. */
export function readExpectedFile(file: string, problems: string[]): Expectation[] | undefined {
  if (!existsSync(file)) return undefined
  const found = new Problems(file)
  let value: unknown
  try {
    value = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    problems.push(
      `${file}: is not valid JSON (${(error as Error).message}): fix it, or delete it and run with --update.`
    )
    return []
  }
  if (!isObject(value) || !Array.isArray(value.events)) {
    problems.push(`${file}: must be a JSON object {"events": [...]}, one entry per event of its sample, in order.`)
    return []
  }
  unknownKeys(value, ['events'], '(file)', found)
  const entries = value.events.map((entry, i) => readEntry(entry, `events[${i}]`, found))
  problems.push(...found.list)
  return entries
}

/** The expected file's text: two-space JSON, one entry per event in order, a newline at the end. */
export function expectedFileText(entries: Expectation[]): string {
  return JSON.stringify({ events: entries }, null, 2) + '\n'
}
