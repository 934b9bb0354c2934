import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { sendEntireEventFields } from '../fields'
import { sendBatch, sendEvent } from '../sendToMovableInk'

const action: ActionDefinition<Settings, Payload> = {
  title: 'Send Entire Event',
  description: 'Send an entire Segment event to Movable Ink',
  fields: sendEntireEventFields,
  perform: (request, { settings, payload }) => {
    return sendEvent(request, settings, payload)
  },
  performBatch: (request, { settings, payload }) => {
    return sendBatch(request, settings, payload)
  }
}

export default action
