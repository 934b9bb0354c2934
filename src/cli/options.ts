import { InvalidArgumentError, Option } from 'commander'
import type { Command } from 'commander'

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

export function addSettingsOptions(command: Command): Command {
  return command
    .option('--url <url>', 'Movable Ink endpoint URL (env MOVABLE_INK_URL)')
    .option('--username <id>', 'Movable Ink Access Key ID (env MOVABLE_INK_USERNAME)')
    .option(
      '--access-secret <secret>',
      'Movable Ink Access Secret (env MOVABLE_INK_ACCESS_SECRET, preferred: flags show in ps and shell history)'
    )
}

export function formatOption(): Option {
  return new Option('--format <format>', 'input format: auto (by extension and content), json, or jsonl')
    .choices(['auto', 'json', 'jsonl'])
    .default('auto')
}
