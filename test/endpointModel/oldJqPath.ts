import { SANDBOX_PRELUDE } from '../../src/endpointModel/jq/sandbox'

/**
 * The jq path from before the engine, kept for the differential test only: jq-web's own instance on the main
 * thread, whose raw() runs jq's main() once per call over all the inputs it is given, as the project's first
 * runJq and jqCompileError did.
 */

interface JqWeb {
  raw(input: string, filter: string, flags?: string[]): string | undefined
}

interface JqFailure {
  exitCode?: number
  stderr?: string
  message?: string
}

// eslint-disable-next-line @typescript-eslint/no-var-requires
const jqWeb = () => require('jq-web') as Promise<JqWeb>

/** `program` over the JSON texts in one jq run, with the sandbox in front as before: its compact output lines. */
export async function oldRunJq(program: string, texts: string[]): Promise<string[]> {
  const jq = await jqWeb()
  const out = jq.raw(texts.join('\n'), `${SANDBOX_PRELUDE}\n${program}`, ['-c', '-M'])
  return out === undefined || out === '' ? [] : out.split('\n')
}

/** The old compile check's verdict: jq's message for a compile error (exit 3), else undefined. */
export async function oldCompileError(expression: string): Promise<string | undefined> {
  const jq = await jqWeb()
  try {
    jq.raw('null', `${SANDBOX_PRELUDE} empty |\n${expression}\n`, ['-n'])
    return undefined
  } catch (error) {
    const failure = error as JqFailure
    if (failure.exitCode !== 3) return undefined
    return (failure.stderr ?? failure.message ?? String(error))
      .trim()
      .replace(/^Non-zero exit code: \d+\n?/, '')
      .replace(/ at <top-level>, line (\d+):/g, (_all, line: string) => ` at <top-level>, line ${Number(line) - 1}:`)
      .replace(/ \(Unix shell quoting issues\?\)/g, '')
      .replace(/[ \t]+$/gm, '')
      .replace(/\n\s*jq: \d+ compile errors?$/, '')
  }
}
