import { EndpointFileError } from '../endpointModel'
import { InputError } from '../events/inputFiles'
import { OutputFileError } from '../io/outputFile'
import { SettingsError } from '../runtime/settings'
import { SubscriptionError } from '../runtime/subscriptions'
import { JournalError } from '../send/journal'
import { SuiteError } from '../suite/suiteTypes'

/** 0 all delivered (or previewed without errors), 1 some failed, 2 a usage or settings mistake, 130 interrupted twice, 141 output closed. */
export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2
export const EXIT_INTERRUPTED = 130
/** The reader of the output went away (`| head`): 128 + SIGPIPE, as for a Unix tool that signal stops. */
export const EXIT_OUTPUT_CLOSED = 141

/** A mistake in how the command was called that only this layer knows of (a busy port, a flag combination). */
export class UsageError extends Error {
  readonly name = 'UsageError'
  constructor(message: string) {
    super(message)
  }
}

/**
 * The library's errors that mean "fix how you called it": the settings, inputs, mapping, endpoint, journal, suite, or
 * an output file that cannot be written.
 */
const USAGE_ERRORS = [
  UsageError,
  SettingsError,
  InputError,
  SubscriptionError,
  EndpointFileError,
  JournalError,
  SuiteError,
  OutputFileError
]

export function isUsageError(error: unknown): boolean {
  return USAGE_ERRORS.some((kind) => error instanceof kind)
}
