import type { Server } from 'http'
import type { AddressInfo } from 'net'

/** Every local server of the project listens here: reachable from this machine only. */
export const LOOPBACK = '127.0.0.1'

/** Starts `server` on the loopback address; resolves with its port, rejects with the listen error (EADDRINUSE). */
export function listenOnLoopback(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/**
 * Stops accepting, ends idle keep-alive connections (and with `force` the busy ones), resolves once closed.
 * With `graceMs`, the busy connections still open after that long are ended too: a slow client, or an answer
 * held back, does not keep the server from stopping.
 */
export function closeServer(server: Server, force = false, graceMs?: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = graceMs === undefined ? undefined : setTimeout(() => server.closeAllConnections(), graceMs)
    server.close(() => {
      clearTimeout(timer)
      resolve()
    })
    if (force) server.closeAllConnections()
    else server.closeIdleConnections()
  })
}
