#!/usr/bin/env node
import { readFileSync } from 'fs'
import { join } from 'path'
import { Command, CommanderError } from 'commander'
import { Redactor } from '../runtime/redactor'
import { secretLongEnough } from '../runtime/settings'
import { endQuietlyOnBrokenPipe } from './brokenPipe'
import type { CommandContext, CommandIo } from './context'
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, isUsageError } from './exitCodes'

/** The `movable-ink` command: one file per subcommand (commands/), the library underneath. */

/** The package's version, from the package.json two folders up, as seen from src/cli and from dist/cli alike. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version
}

type Register = (program: Command, context: CommandContext) => void

/**
 * Each command's module, loaded only when needed: a command's code (the studio's server, the coverage run, the
 * send loop) is a good part of what a run of another command would otherwise load before doing anything. In
 * the order `--help` lists them.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  send: async () => (await import('./commands/send')).registerSend,
  preview: async () => (await import('./commands/preview')).registerPreview,
  test: async () => (await import('./commands/test')).registerTest,
  receive: async () => (await import('./commands/receive')).registerReceive,
  studio: async () => (await import('./commands/studio')).registerStudio,
  demo: async () => (await import('./commands/demo')).registerDemo
}

/**
 * The commands `argv` needs: the one it names, none for the version, or every one (for `--help`, `help <command>`,
 * or a name commander should answer with "unknown command" and its suggestion).
 */
function commandsFor(argv: string[]): string[] {
  const named = argv[2]
  if (named === '-V' || named === '--version') return []
  return named !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, named) ? [named] : Object.keys(COMMANDS)
}

export async function buildProgram(context: CommandContext, argv: string[]): Promise<Command> {
  const program = new Command()
  program
    .name('movable-ink')
    .description(
      'Deliver, preview, test and receive Segment events with the Movable Ink (Actions) destination, on your own machine.'
    )
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => context.out.write(text), writeErr: (text) => context.err.write(text) })
    .exitOverride()
  for (const name of commandsFor(argv)) (await COMMANDS[name]())(program, context)
  return program
}

const HELP_CODES = ['commander.helpDisplayed', 'commander.version', 'commander.help']

const PROCESS_IO: CommandIo = { out: process.stdout, err: process.stderr, env: process.env }

/**
 * Runs the command line; resolves with the exit code. Errors are printed here, secrets redacted. `io` is the
 * process's own unless a caller (a test) gives another.
 */
export async function main(argv: string[], io: CommandIo = PROCESS_IO): Promise<number> {
  // The environment's secret is known before any flag is parsed; each command adds what its flags give. One too
  // short to take is left to the command that uses it to refuse: masking "s" would garble that very refusal.
  const envSecret = io.env.MOVABLE_INK_ACCESS_SECRET
  const redactor = new Redactor().add(
    io.env.MOVABLE_INK_USERNAME,
    envSecret && secretLongEnough(envSecret) ? envSecret : undefined
  )
  let exitCode = EXIT_OK
  const context: CommandContext = {
    ...io,
    redactor,
    setExitCode: (code) => (exitCode = code)
  }
  try {
    await (await buildProgram(context, argv)).parseAsync(argv)
    return exitCode
  } catch (error) {
    if (error instanceof CommanderError) return HELP_CODES.includes(error.code) ? EXIT_OK : EXIT_USAGE
    io.err.write(`movable-ink: ${redactor.redact((error as Error)?.message ?? String(error))}\n`)
    return isUsageError(error) ? EXIT_USAGE : EXIT_FAILED
  }
}

if (require.main === module) {
  endQuietlyOnBrokenPipe()
  main(process.argv).then(
    (code) => {
      process.exitCode = code
    },
    (error: Error) => {
      process.stderr.write(`movable-ink: ${error.message}\n`)
      process.exitCode = EXIT_FAILED
    }
  )
}
