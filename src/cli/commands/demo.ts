import type { Command } from 'commander'
import { runDemo } from '../../demo/demo'
import { EXAMPLES_DIR } from '../../io/projectFiles'
import { lineWriter } from '../context'
import type { CommandContext } from '../context'
import { EXIT_FAILED, EXIT_OK } from '../exitCodes'

/** `demo` (what `npm start` runs): always the embedded stand-in, whatever the environment says. */
export function registerDemo(program: Command, context: CommandContext): void {
  program
    .command('demo')
    .description('What npm start runs: deliver the bundled example events to the embedded stand-in, no account needed.')
    .option('--record <file>', 'where the stand-in stores what it receives')
    .action(async (flags: { record?: string }) => {
      const demo = await runDemo(EXAMPLES_DIR, lineWriter(context.out, context.redactor), flags.record)
      context.out.write(
        'Next: movable-ink preview examples/events/06-order-completed.json, or movable-ink send --help.\n'
      )
      context.setExitCode(demo.asExpected ? EXIT_OK : EXIT_FAILED)
    })
}
