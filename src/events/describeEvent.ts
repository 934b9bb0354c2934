/** `track "Order Completed"`, `page "Home"`, `identify`: how an event is named in the output. */
export function describeEvent(event: Record<string, unknown>): string {
  const type = typeof event.type === 'string' ? event.type : '(no type)'
  const name = typeof event.event === 'string' ? event.event : typeof event.name === 'string' ? event.name : undefined
  return name === undefined ? type : `${type} ${JSON.stringify(name)}`
}
