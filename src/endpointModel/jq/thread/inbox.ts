import { receiveMessageOnPort } from 'worker_threads'
import type { MessagePort } from 'worker_threads'
import { SIGNAL_SLOT } from '../protocol'

/**
 * The worker's side of its port, read synchronously: jq's main() asks for its next input from inside
 * WebAssembly, where the event loop cannot run. Reading the counter before looking at the port means a message
 * posted in between is never slept through: its bump makes Atomics.wait return at once.
 */
export class Inbox {
  constructor(private readonly port: MessagePort, private readonly signal: Int32Array) {}

  /** The next message if one is already here, without waiting. */
  poll(): unknown {
    return receiveMessageOnPort(this.port)?.message
  }

  /** The next message from the main thread, sleeping until there is one. */
  next(): unknown {
    for (;;) {
      const seen = Atomics.load(this.signal, SIGNAL_SLOT)
      const received = receiveMessageOnPort(this.port)
      if (received) return received.message
      Atomics.wait(this.signal, SIGNAL_SLOT, seen)
    }
  }
}
