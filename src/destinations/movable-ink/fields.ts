import type { InputField } from '@segment/actions-core'
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE } from './limits'

/** The fields of "Send Entire Event", shared by the action, the presets and the command-line tools. */
export const headers: InputField = {
  label: 'Headers',
  description: 'HTTP headers to send with each request. Only ASCII characters are supported.',
  type: 'object',
  defaultObjectUI: 'keyvalue:only'
}

export const data: InputField = {
  label: 'Data',
  description: 'Payload to deliver to webhook URL (JSON-encoded).',
  type: 'object',
  default: { '@path': '$.' }
}

export const enable_batching: InputField = {
  label: 'Enable Batching',
  description:
    'Send events to Movable Ink in batches: each request carries up to Batch Size events as {"events": [...]}, the batch format of Movable Ink\'s collector, and stays under 1 MB (the limit RudderStack load-tested for Movable Ink; Movable Ink publishes none for batches).',
  type: 'boolean',
  default: false
}

export const batch_size: InputField = {
  label: 'Batch Size',
  description: `Maximum number of events in one batched request (1 to ${MAX_BATCH_SIZE}). Requests are also split so that each stays under 1 MB (the batch limit RudderStack load-tested for Movable Ink).`,
  type: 'number',
  default: DEFAULT_BATCH_SIZE,
  minimum: 1,
  maximum: MAX_BATCH_SIZE
}

export const sendEntireEventFields = { headers, data, enable_batching, batch_size }
