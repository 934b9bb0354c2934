/** A count with its noun, singular for exactly one: `plural(2, 'event')` is "2 events", `plural(1, 'retry', 'retries')` "1 retry". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}
