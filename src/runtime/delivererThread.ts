import { parentPort, workerData } from 'worker_threads'
import { DestinationRunner } from './destinationRunner'
import type { WorkerData, WorkerRequest, WorkerResponse } from './threadedDeliverer'

/**
 * A delivery worker thread (`send --workers N`): owns its own DestinationRunner (and so its own `Destination`
 * instances and HTTP agent) and runs the requests the main thread hands it. Retries, bookkeeping and output
 * stay in the main thread; this only turns events into outcomes.
 */
const { settings, subscription, options } = workerData as WorkerData
const delivery = new DestinationRunner(settings, subscription, options)
const port = parentPort
if (!port) throw new Error('delivererThread must run as a worker thread')

port.on('message', async (request: WorkerRequest) => {
  const outcomes =
    request.events.length === 1 && !request.batch
      ? [await delivery.sendOne(request.events[0])]
      : await delivery.sendMany(request.events)
  const response: WorkerResponse = { id: request.id, outcomes }
  port.postMessage(response)
})
