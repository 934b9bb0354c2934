import { readdirSync, readFileSync, statSync } from 'fs'
import { extname, join, resolve } from 'path'
import { DEFAULT_ENDPOINT_FILE } from '../endpointModel'
import { loadSubscriptions, presetSubscriptions } from '../cli/runtime'
import { settingsFromOptions, UsageError } from '../cli/settings'
import type { SettingsOptions } from '../cli/settings'
import { startStudio } from './server'
import type { Studio } from './server'

/** `movable-ink studio`: starts the server, prints its URL, and runs until Ctrl-C. */

export interface RunStudioOptions extends SettingsOptions {
  files: string[]
  endpoint?: string
  mapping?: string
  port?: number
}

/** The endpoint file must at least be JSON: the page edits mistakes in it, but it has to show something. */
function checkEndpointFile(file: string): void {
  try {
    JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new UsageError(`Endpoint file ${file} cannot be opened in the studio: ${(error as Error).message}`)
  }
}

const EVENT_FILES = ['.json', '.jsonl', '.ndjson']

/** Files as given, a folder as its event files in name order (`studio examples/events`). */
export function expandInputs(inputs: string[]): string[] {
  return inputs.flatMap((input) => {
    let isFolder: boolean
    try {
      isFolder = statSync(input).isDirectory()
    } catch {
      throw new UsageError(`Input file ${input} does not exist or cannot be read.`)
    }
    if (!isFolder) return [input]
    return readdirSync(input)
      .filter((name) => EVENT_FILES.includes(extname(name).toLowerCase()))
      .sort()
      .map((name) => join(input, name))
  })
}

export async function runStudio(options: RunStudioOptions, out = process.stdout): Promise<Studio> {
  const endpointFile = resolve(options.endpoint ?? DEFAULT_ENDPOINT_FILE)
  checkEndpointFile(endpointFile)
  const studio = await startStudio({
    files: expandInputs(options.files),
    port: options.port,
    endpointFile,
    subscriptions: options.mapping ? loadSubscriptions(options.mapping) : presetSubscriptions(),
    settings: settingsFromOptions(options)
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error
    throw new UsageError(`Port ${options.port} is in use: pick another with --port, or --port 0 for any free port.`)
  })
  out.write(`movable-ink studio: open ${studio.url}\n`)
  out.write('Only this machine can reach it, and only with the token in that URL. Stop it with Ctrl-C.\n')
  return studio
}
