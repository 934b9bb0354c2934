import { globalAgent as httpAgent } from 'http'
import type { Agent, ClientRequest, IncomingMessage } from 'http'
import { globalAgent as httpsAgent } from 'https'

/**
 * node-fetch 2 (actions-core's HTTP client, through cross-fetch) pipes each response into the body stream it
 * reads, and a pipe passes no error on: when a server sends the headers, or part of the body, and then closes
 * the connection, the read waits for a body that never ends until the request's timeout, and is reported as
 * "did not answer in time" (with an unreferenced timer and nothing else to do, the process even exits with
 * the promise unsettled). node-fetch does fail the body when its request emits an error; this makes a request
 * whose response closes before it is complete emit the response's own error (ECONNRESET, "aborted") at once.
 *
 * It is installed on Node's global agents, the ones node-fetch uses when given none, and changes nothing for
 * a response that completes or a request that nobody listens to.
 */

type AddRequest = (req: ClientRequest, options: unknown) => void

/**
 * Marks an agent already watched, on the agent itself: the agents are the process's, and this module can be
 * loaded more than once in a process (two copies of the package, or each test file's own modules under jest),
 * where a mark of its own would wrap them again with each load, one more listener per request each time.
 */
const WATCHED = Symbol.for('movable-ink-destination.failCutResponses')

function failRequestOnCutResponse(req: ClientRequest): void {
  req.once('response', (res: IncomingMessage) => {
    res.once('error', (error) => {
      if (!res.complete && req.listenerCount('error') > 0) req.emit('error', error)
    })
  })
}

/** Makes every request of the global HTTP and HTTPS agents fail at once when its response is cut off. */
export function failCutResponses(): void {
  for (const agent of [httpAgent, httpsAgent]) {
    const withAddRequest = agent as unknown as { addRequest: AddRequest; [WATCHED]?: true }
    if (withAddRequest[WATCHED]) continue
    withAddRequest[WATCHED] = true
    const addRequest = withAddRequest.addRequest
    withAddRequest.addRequest = function (this: Agent, req, options) {
      failRequestOnCutResponse(req)
      return addRequest.call(this, req, options)
    }
  }
}
