/**
 * The benchmark's child processes (receivers, contenders, `send`): none outlives the run, and each is waited
 * for with a deadline, so that a stuck child fails the run with a message instead of hanging it.
 */
import type { ChildProcess } from 'child_process'

const children = new Set<ChildProcess>()

/** Registers `child` to be stopped when the benchmark exits, however it exits. */
export function track(child: ChildProcess): ChildProcess {
  children.add(child)
  child.on('exit', () => children.delete(child))
  return child
}

function killChildren() {
  for (const child of children) child.kill('SIGTERM')
}

export function stopChildrenOnExit(): void {
  process.on('exit', killChildren)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      killChildren()
      process.exit(130)
    })
  }
}

/** The next IPC message of `type` from `child`, or an error after `ms` or if the child exits. */
export function nextMessage<T>(child: ChildProcess, type: string, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${what}: no "${type}" message within ${ms} ms`)), ms)
    const onMessage = (message: { type?: string; error?: string }) => {
      if (message?.type === type) done(undefined, message as T)
      else if (message?.type === 'error') done(new Error(`${what}: ${message.error}`))
    }
    const onExit = (code: number | null) => done(new Error(`${what}: exited (code ${code}) before "${type}"`))
    function done(error?: Error, message?: T) {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
      if (error) reject(error)
      else resolve(message as T)
    }
    child.on('message', onMessage)
    child.on('exit', onExit)
  })
}

/** The first stdout line of `child` matching `pattern`, or an error after `ms`. */
export function firstMatchingLine(
  child: ChildProcess,
  pattern: RegExp,
  ms: number,
  what: string
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => finish(new Error(`${what}: no line matching ${pattern} within ${ms} ms`)), ms)
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString()
      for (const line of buffered.split('\n')) {
        const match = line.match(pattern)
        if (match) return finish(undefined, match)
      }
    }
    const onExit = (code: number | null) =>
      finish(new Error(`${what}: exited (code ${code}): ${buffered.slice(0, 500)}`))
    function finish(error?: Error, match?: RegExpMatchArray) {
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.off('exit', onExit)
      if (error) reject(error)
      else resolve(match as RegExpMatchArray)
    }
    child.stdout?.on('data', onData)
    child.on('exit', onExit)
  })
}

/** Resolves once `child` has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())))
}
