import { Worker } from 'worker_threads'
import { afterWorkerEnds, endWorker } from '../../src/io/workerThread'

// A thread that never yields, as jq's WebAssembly at a deadline: terminate() has to interrupt it.
const spinning = () => new Worker('for (;;) {}', { eval: true })
const online = (worker: Worker) => new Promise<void>((resolve) => worker.once('online', () => resolve()))

describe('afterWorkerEnds: no worker starts while another is being torn down (nodejs/node#56312)', () => {
  it('resolves at once when nothing is ending', async () => {
    await expect(afterWorkerEnds()).resolves.toBeUndefined()
  })

  it('waits until every terminated thread has exited, including ends begun while it waited', async () => {
    const first = spinning()
    const second = spinning()
    await Promise.all([online(first), online(second)])
    const exited: string[] = []
    first.once('exit', () => exited.push('first'))
    second.once('exit', () => exited.push('second'))

    void endWorker(first)
    const waited = afterWorkerEnds().then(() => [...exited])
    void endWorker(second)

    expect(await waited).toEqual(expect.arrayContaining(['first', 'second']))
  })

  it('settles even when the worker had already exited', async () => {
    const worker = new Worker('', { eval: true })
    await new Promise((resolve) => worker.once('exit', resolve))
    await expect(endWorker(worker)).resolves.toBeUndefined()
    await expect(afterWorkerEnds()).resolves.toBeUndefined()
  })
})
