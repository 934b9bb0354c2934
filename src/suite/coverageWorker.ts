import { parentPort, workerData } from 'worker_threads'
import { CoverageSession } from './coverageSession'
import type { CoverageSetup } from './coverageSession'
import type { FromWorker, ToWorker } from './coverageWorkers'

/** A coverage worker thread: evaluates the batches of lines the main thread hands it, and sends its tally at the end. */
const port = parentPort
if (!port) throw new Error('coverageWorker must run as a worker thread')
const session = CoverageSession.open(workerData as CoverageSetup)
const reply = (message: FromWorker) => port.postMessage(message)
session.catch((error: Error) => reply({ kind: 'error', message: error.message }))

port.on('message', (message: ToWorker) => {
  session
    .then(async (s) => {
      if (message.kind === 'pieces') {
        await s.add(message.file, message.pieces)
        reply({ kind: 'done', id: message.id })
      } else {
        reply({ kind: 'tally', tally: await s.result() })
        await s.close()
      }
    })
    .catch((error: Error) => reply({ kind: 'error', message: error.message }))
})
