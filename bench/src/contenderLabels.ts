/** How the tables and results.json name each contender, and what it measures. */
import type { ContenderId } from './results'

export const LABELS: Record<ContenderId, { label: string; description: string }> = {
  reference: {
    label: '1 reference (Segment, 1 event/request)',
    description:
      "@segment/action-destinations' Movable Ink destination through actions-core Destination.onEvent, one event per request"
  },
  project: {
    label: '2 project (1 event/request, all checks)',
    description:
      "This project's destination (dist/) through actions-core Destination.onEvent, one event per request, every check on"
  },
  batched: {
    label: '3 project batched (100 events/request)',
    description:
      "This project's destination through actions-core Destination.onBatch with enable_batching and batch_size 100; each event's latency is its request's latency"
  },
  limit: {
    label: '4 limit (bare fetch loop, no runtime)',
    description:
      "actions-core's own fetch (node-fetch v2 over node:http, the runtime's HTTP client) posting pre-serialized bodies with basic auth, no runtime"
  },
  client: {
    label: '5 context: request client, no Destination',
    description:
      "actions-core's createRequestClient with basic auth (what extendRequest sets up) posting the same pre-serialized bodies: the runtime's request client without Destination.onEvent"
  }
}
