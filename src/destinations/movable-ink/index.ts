import { defaultValues, IntegrationError } from '@segment/actions-core'
import type { DestinationDefinition } from '@segment/actions-core'
import type { Settings } from './generated-types'
import sendEntireEvent from './sendEntireEvent'
import { checkMovableInkUrl } from './movableInkUrl'
import { basicAuthorization } from './basicAuthorization'

export const SEND_ENTIRE_EVENT_SUBSCRIPTION =
  'type = "identify" or type = "track" or type = "page" or type = "screen" or type = "group"'

const destination: DestinationDefinition<Settings> = {
  name: 'Movable Ink',
  slug: 'actions-movable-ink',
  mode: 'cloud',
  description: 'Send Segment analytics events to Movable Ink',
  authentication: {
    scheme: 'basic',
    fields: {
      username: {
        label: 'Username',
        description: 'Your Movable Ink Access Key ID, from your Movable Ink Client Experience team.',
        type: 'string',
        required: true
      },
      password: {
        label: 'Access Secret',
        description: 'Your Movable Ink Access Secret, from your Movable Ink Client Experience team.',
        type: 'password',
        required: true
      },
      movable_ink_url: {
        label: 'Movable Ink URL',
        description:
          'The endpoint URL that Movable Ink set up for your events (https). Movable Ink must map your events before it accepts them.',
        type: 'string',
        required: true
      }
    },
    // Movable Ink has no call that checks credentials without delivering an event, so this checks the
    // settings themselves and sends nothing.
    testAuthentication: (_request, { settings }) => {
      checkMovableInkUrl(settings.movable_ink_url)
      if (!settings.username?.trim()) {
        throw new IntegrationError(
          'The Username setting is empty: paste your Movable Ink Access Key ID.',
          'INVALID_SETTINGS',
          400
        )
      }
      if (!settings.password?.trim()) {
        throw new IntegrationError(
          'The Access Secret setting is empty: paste your Movable Ink Access Secret.',
          'INVALID_SETTINGS',
          400
        )
      }
      return true
    }
  },
  // The same Authorization header that actions-core's basic-auth hook would add from `username`/`password`,
  // set directly: through the hook, the request client sets up every request twice and calls the deprecated
  // Buffer() each time, about a tenth of the CPU each event costs (see bench/README.md).
  extendRequest({ settings }) {
    if (!settings.username && !settings.password) return {}
    return { headers: { Authorization: basicAuthorization(settings.username ?? '', settings.password ?? '') } }
  },
  presets: [
    {
      name: 'Send Entire Event',
      partnerAction: 'sendEntireEvent',
      subscribe: SEND_ENTIRE_EVENT_SUBSCRIPTION,
      mapping: defaultValues(sendEntireEvent.fields),
      type: 'automatic'
    }
  ],
  actions: {
    sendEntireEvent
  }
}

export default destination
