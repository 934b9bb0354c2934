import { existsSync, readFileSync } from 'fs'
import { resolve } from 'path'
import type { Command } from 'commander'
import { closeJqEngine, DEFAULT_ENDPOINT_FILE, keepSpareJqWorker } from '../../endpointModel'
import { settingsFromOptions } from '../../runtime/settings'
import type { SettingsOptions } from '../../runtime/settings'
import { subscriptionsFrom } from '../../runtime/subscriptions'
import { skippedLines } from '../../events/skippedInputs'
import { studioInputs } from '../../studio/expectations'
import { startStudio } from '../../studio/server'
import { addCredentials } from '../context'
import type { CommandContext } from '../context'
import type { Workbench } from '../../studio/workbench'
import type { JqFlags } from '../options'
import { EXIT_OK, UsageError } from '../exitCodes'
import { addJqDeadlineOption, commandWithSettings, integer } from '../options'
import { untilStopSignal } from '../signals'

/** `movable-ink studio`: starts the server, prints its URL, and runs until a stop signal. */

interface StudioFlags extends SettingsOptions, JqFlags {
  endpoint?: string
  mapping?: string
  port: number
}

function describe(program: Command): Command {
  const description =
    'Open a local web page to paste events, edit the Movable Ink event mappings, see each event checked as preview does, send a test event, and export a report.'
  const inputs: [string, string] = [
    '[files...]',
    'event files or folders to start with (more can be pasted or dropped on the page)'
  ]
  return commandWithSettings(program, 'studio', description, inputs)
    .option(
      '--endpoint <file>',
      'the endpoint file to edit and save: event mappings (default: ./movable-ink-endpoint.json when it exists, else start from the bundled examples/movable-ink-endpoint.json and save to ./movable-ink-endpoint.json)'
    )
    .option('--mapping <file>', 'a mapping (Segment mapping JSON) or subscription(s) to check with')
    .option('--port <port>', 'port on 127.0.0.1 (0: any free port)', integer(0, 65535), 0)
}

/** Where the studio saves when started on the bundled example file: in the working folder. */
const SAVE_FILE = 'movable-ink-endpoint.json'

/** The endpoint file must at least be JSON: the page edits mistakes in it, but it has to show something. */
function checkEndpointFile(file: string): void {
  try {
    JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new UsageError(`Endpoint file ${file} cannot be opened in the studio: ${(error as Error).message}`)
  }
}

/** What "Save as expected" does with these files: beside them, in the suite format, and pasted events where. */
function expectedLine(workbench: Workbench): string {
  const samples = [...workbench.suite.samples.values()]
  const withFile = samples.filter((s) => s.expectations !== undefined).length
  if (workbench.suite.off) return workbench.suite.off
  const loaded =
    samples.length === 0
      ? ''
      : `${withFile} of the ${samples.length} sample file${
          samples.length === 1 ? ' has' : 's have'
        } an expected file beside ${samples.length === 1 ? 'it' : 'them'} (movable-ink test's suite format); `
  return `${loaded}"Save as expected" writes beside the sample files (never into the bundled examples), and pasted events go to ${workbench.pastedSuiteFile} unless you name another file on the page.`
}

/**
 * The endpoint file read and the one "Save" writes: the --endpoint file; else ./movable-ink-endpoint.json, once
 * there is one (what the last session saved); else the bundled defaults, saved to ./movable-ink-endpoint.json
 * (the bundled file is never the place to save).
 */
function endpointFiles(flags: StudioFlags): { endpointFile: string; saveFile: string } {
  if (flags.endpoint) return { endpointFile: resolve(flags.endpoint), saveFile: resolve(flags.endpoint) }
  const saveFile = resolve(SAVE_FILE)
  return { endpointFile: existsSync(saveFile) ? saveFile : DEFAULT_ENDPOINT_FILE, saveFile }
}

async function runStudioCommand(files: string[], flags: StudioFlags, context: CommandContext): Promise<void> {
  const { endpointFile, saveFile } = endpointFiles(flags)
  checkEndpointFile(endpointFile)
  const settings = settingsFromOptions(flags, context.env)
  addCredentials(context, settings.username, settings.password)
  // A suite folder's expected files are not events: they are read beside their samples.
  const inputs = studioInputs(files)
  const options = {
    files: inputs.files,
    port: flags.port,
    endpointFile,
    saveFile,
    subscriptions: subscriptionsFrom(flags.mapping),
    settings,
    jqLimits: { deadlineMs: flags.jqDeadlineMs }
  }
  // A server: an edit's new program, or a restart after a runaway, should not wait for a jq worker to start.
  keepSpareJqWorker(true)
  const studio = await startStudio(options).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error
    throw new UsageError(`Port ${flags.port} is in use: pick another with --port, or --port 0 for any free port.`)
  })
  // Listening for the stop signals before printing the URL: a signal right after it stops the studio cleanly.
  const stopped = untilStopSignal()
  context.out.write(`movable-ink studio: open ${studio.url}\n`)
  context.out.write('Only this machine can reach it, and only with the token in that URL. Stop it with Ctrl-C.\n')
  const read = endpointFile === DEFAULT_ENDPOINT_FILE ? `the bundled defaults (${endpointFile})` : endpointFile
  context.out.write(
    `Event mappings read from ${read}; "Save" writes them to ${saveFile} unless you name another file on the page.\n`
  )
  context.out.write(`${expectedLine(studio.workbench)}\n`)
  for (const line of skippedLines(inputs.skipped)) context.out.write(`${line}\n`)
  await stopped
  closeJqEngine()
  await studio.close()
  context.setExitCode(EXIT_OK)
}

export function registerStudio(program: Command, context: CommandContext): void {
  addJqDeadlineOption(describe(program)).action((files: string[], flags: StudioFlags) =>
    runStudioCommand(files, flags, context)
  )
}
