/** What the stand-in counts, for its stop line and for the demo. */
export interface StandInStats {
  requests: number
  accepted: number
  /** Events stored. */
  events: number
  /** Events stored whose messageId had been stored before (Movable Ink keeps both). */
  duplicates: number
  /** Events answered 200 but not kept (older than 30 days, with --older-than-30-days drop). */
  dropped: number
  /** Events in refused requests (unmapped, too old). */
  refusedEvents: number
  /** Every request by the status it was answered with; 0 for a connection closed without an answer. */
  byStatus: Record<string, number>
}

export function newStats(): StandInStats {
  return { requests: 0, accepted: 0, events: 0, duplicates: 0, dropped: 0, refusedEvents: 0, byStatus: {} }
}

export function formatStats(stats: StandInStats): string {
  const { requests, accepted, events, duplicates, dropped, refusedEvents, byStatus } = stats
  return (
    `${requests} requests, ${accepted} accepted: ${events} events stored (${duplicates} duplicates by messageId), ` +
    `${dropped} dropped as too old, ${refusedEvents} in refused requests; by status: ${JSON.stringify(byStatus)}`
  )
}
