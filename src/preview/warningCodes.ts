import type { RecommendationCode } from '../destinations/movable-ink/checkEventRecommendations'
import type { ModelWarningCode } from '../endpointModel'

/**
 * The one list of warning codes that preview, the studio and `test --coverage` share, and what each means for
 * an event's use. A warning is something Movable Ink would not refuse the event for; some of them still leave
 * it unable to use the event as meant (a product view without the product page URL), and coverage counts those
 * events as not useful. Programs decide on the code, never on a warning's words.
 */

export type WarningCode =
  | RecommendationCode
  /** The endpoint model's own (types.ts): an ambiguity, a decision's criterion failing or overridden. */
  | ModelWarningCode
  /** An integer beyond 2^53 in the input, which JSON cannot hold exactly. */
  | 'unsafe-integer'
  /** A mapping's match criterion gives something other than true or false, which counts as a match. */
  | 'non-boolean-match'
  /** The mapping that takes the event has a schema Movable Ink does not predefine (a Custom schema, then). */
  | 'unknown-schema'
  /** The userId looks like an e-mail address or a phone number. */
  | 'personal-user-id'

export interface WarningMeaning {
  /** Movable Ink takes the event but cannot use it as meant: coverage counts it as not useful. */
  notUseful: boolean
}

const NOT_USEFUL: WarningMeaning = { notUseful: true }
const LESS_USEFUL: WarningMeaning = { notUseful: false }

/**
 * Every code and its meaning (a Record, so that a new code does not compile until it is given one). The 30-day
 * window is not a matter of use here: it depends on the day the check runs, and an export is old by nature.
 */
export const WARNING_CODES: Record<WarningCode, WarningMeaning> = {
  'unnamed-track': NOT_USEFUL,
  'missing-product-id': NOT_USEFUL,
  'missing-product-url': NOT_USEFUL,
  'missing-order-total': NOT_USEFUL,
  'order-total-not-number': NOT_USEFUL,
  'missing-order-products': NOT_USEFUL,
  'order-product-not-object': NOT_USEFUL,
  'order-product-missing-id': NOT_USEFUL,
  'order-product-missing-price': NOT_USEFUL,
  'missing-search-query': NOT_USEFUL,
  'beyond-retention': LESS_USEFUL,
  'sensitive-property': LESS_USEFUL,
  'unsafe-integer': LESS_USEFUL,
  'non-boolean-match': LESS_USEFUL,
  'unknown-schema': LESS_USEFUL,
  'personal-user-id': LESS_USEFUL,
  'match-not-run': LESS_USEFUL,
  'also-matches': LESS_USEFUL,
  'decision-criterion-failed': LESS_USEFUL,
  'decision-overridden': LESS_USEFUL
}

/** A warning as programs and people read it: its code, and its words. */
export interface CodedWarning {
  code: WarningCode
  text: string
}

export function makesNotUseful(code: WarningCode): boolean {
  return WARNING_CODES[code]?.notUseful === true
}

/** Adds warnings to a result, each word and code at the same index. */
export function addWarnings(
  result: { warnings: string[]; warningCodes: WarningCode[] },
  warnings: CodedWarning[]
): void {
  for (const { code, text } of warnings) {
    result.warnings.push(text)
    result.warningCodes.push(code)
  }
}
