import { InvalidArgumentError, Option } from 'commander'
import type { Command } from 'commander'
import { DEFAULT_JQ_DEADLINE_MS } from '../endpointModel'
import type { InputFormat } from '../events/readEvents'
import type { SettingsOptions } from '../runtime/settings'

/** Flag parsers and the flags several commands share. */

export function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value)
    if (!/^\d+$/.test(value.trim()) || n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`)
    return n
  }
}

export function share(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError('expected a share from 0 to 1, like 0.2.')
  return n
}

/** A subcommand with its description, its one argument (the inputs) and the settings flags. */
export function commandWithSettings(program: Command, name: string, description: string, inputs: [string, string]) {
  return addSettingsOptions(
    program
      .command(name)
      .description(description)
      .argument(...inputs)
  )
}

/** The flag of every command that evaluates Movable Ink's event mappings in jq. */
export interface JqFlags {
  jqDeadlineMs?: number
}

/** `--jq-deadline-ms`: how long one event's jq may run before it is stopped as a runaway (compiling: at least the default). */
export function addJqDeadlineOption(command: Command): Command {
  return command.option(
    '--jq-deadline-ms <ms>',
    `stop jq on one event after this long and report a runaway expression (default: ${DEFAULT_JQ_DEADLINE_MS}; compiling an expression is never stopped before ${DEFAULT_JQ_DEADLINE_MS})`,
    integer(1, 600_000)
  )
}

/** The flags of a command that reads events. */
export interface EventsFlags extends SettingsOptions {
  format: InputFormat
  mapping?: string
}

/** A subcommand that reads events (send, preview): the settings, the input format and the mapping. */
export function eventsCommand(program: Command, name: string, description: string, mappingHelp: string) {
  return commandWithSettings(program, name, description, ['[files...]', 'input files or folders; - reads stdin'])
    .addOption(formatOption())
    .option('--mapping <file>', mappingHelp)
}

function addSettingsOptions(command: Command): Command {
  return command
    .option('--url <url>', 'Movable Ink endpoint URL (env MOVABLE_INK_URL)')
    .option('--username <id>', 'Movable Ink Access Key ID (env MOVABLE_INK_USERNAME)')
    .option(
      '--access-secret <secret>',
      'Movable Ink Access Secret (env MOVABLE_INK_ACCESS_SECRET, preferred: flags show in ps and shell history)'
    )
}

function formatOption(): Option {
  return new Option('--format <format>', 'input format: auto (by extension and content), json, or jsonl')
    .choices(['auto', 'json', 'jsonl'])
    .default('auto')
}
