import { printable, quoted } from './printable'

/** `track "Order Completed"`, `page "Home"`, `identify`: how an event is named in the output. */
export function describeEvent(event: Record<string, unknown>): string {
  const type = typeof event.type === 'string' ? printable(event.type) : '(no type)'
  const name = typeof event.event === 'string' ? event.event : typeof event.name === 'string' ? event.name : undefined
  return name === undefined ? type : `${type} ${quoted(name)}`
}
