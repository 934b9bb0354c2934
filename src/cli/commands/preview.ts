import type { Command } from 'commander'
import { DEFAULT_ENDPOINT_FILE, loadEndpointFile } from '../../endpointModel'
import { listInputs } from '../../events/inputFiles'
import { skippedLines } from '../../events/skippedInputs'
import { createPreviewer } from '../../preview/previewer'
import { previewFiles } from '../../preview/previewFiles'
import { formatItem } from '../../preview/previewText'
import { settingsFromOptions } from '../../runtime/settings'
import { subscriptionsFrom } from '../../runtime/subscriptions'
import { addCredentials } from '../context'
import type { CommandContext } from '../context'
import { EXIT_FAILED, EXIT_OK } from '../exitCodes'
import { addJqDeadlineOption, eventsCommand } from '../options'
import type { EventsFlags, JqFlags } from '../options'

interface PreviewFlags extends EventsFlags, JqFlags {
  endpoint?: string
  json?: boolean
}

const DESCRIPTION =
  "Show, for each event, the matching subscriptions, the mapped payload, the exact HTTP request and Movable Ink's checks. Sends nothing."

function describe(program: Command): Command {
  return eventsCommand(
    program,
    'preview',
    DESCRIPTION,
    'a mapping (Segment mapping JSON) or subscription(s) to preview with'
  )
    .option(
      '--endpoint <file>',
      "Movable Ink's event mappings to check each event against (default: examples/movable-ink-endpoint.json)"
    )
    .option('--json', 'print a JSON array for scripts (the closing summary goes to stderr)')
}

/** `preview`: each event through createPreviewer, as text or one JSON array, then the summary. */
async function runPreviewCommand(inputs: string[], flags: PreviewFlags, context: CommandContext): Promise<void> {
  const given = settingsFromOptions(flags, context.env)
  const { redactor } = context
  addCredentials(context, given.username, given.password)
  const write = (text: string) => context.out.write(redactor.redact(text))
  const { files, skipped } = listInputs(inputs)
  const subscriptions = subscriptionsFrom(flags.mapping)
  const endpoint = await loadEndpointFile(flags.endpoint ?? DEFAULT_ENDPOINT_FILE, { deadlineMs: flags.jqDeadlineMs })
  const previewer = await createPreviewer({ settings: given, subscriptions, endpoint })
  if (previewer.urlWarning) context.err.write(previewer.urlWarning + '\n')
  let count = 0
  if (flags.json) write('[')
  const onItem = flags.json
    ? (item: unknown) => write(`${count++ === 0 ? '\n' : ',\n'}${JSON.stringify(item, null, 2)}`)
    : (item: Parameters<typeof formatItem>[0]) => write(formatItem(item, ++count))
  let summary
  try {
    summary = await previewFiles(previewer, files, flags.format, onItem)
  } finally {
    await previewer.close()
  }
  // With --json, stdout stays one JSON array for scripts; the closing lines go to people on stderr.
  if (flags.json) write(count === 0 ? ']\n' : '\n]\n')
  const closing = [summary.line, ...skippedLines(skipped)].join('\n') + '\n'
  if (flags.json) context.err.write(redactor.redact(closing))
  else write(closing)
  context.setExitCode(summary.withErrors > 0 ? EXIT_FAILED : EXIT_OK)
}

export function registerPreview(program: Command, context: CommandContext): void {
  addJqDeadlineOption(describe(program)).action((files: string[], flags: PreviewFlags) =>
    runPreviewCommand(files, flags, context)
  )
}
