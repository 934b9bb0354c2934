import { jqFactory } from '../jqWeb'
import type { EmscriptenJq, LoadedJq } from '../jqWeb'

/**
 * One jq instance inside a worker, wired at the WebAssembly boundary rather than through Emscripten's file
 * system: jq's libc reads and writes its standard streams through the WASI imports fd_read and fd_write, asks
 * for more memory through emscripten_resize_heap, and reads its environment through environ_get. Replacing
 * those imports gives the engine stdin that blocks until the next event, stdout and stderr as bytes, a memory
 * cap that jq's malloc honours (a refused growth makes jq stop with "cannot allocate memory"), and an empty
 * environment, so `$ENV` and `env` never show the process's (where the Access Secret may be).
 */

export interface JqStdio {
  /** Fills `into` with the next bytes of stdin and returns how many (0 is the end of input); may block. */
  read(into: Uint8Array): number
  /** Bytes jq wrote to stdout (1) or stderr (2), valid only during the call. */
  write(fd: 1 | 2, bytes: Uint8Array): void
}

export interface JqInstance {
  /** jq's main(), with jq's command-line arguments; its exit status. */
  callMain(args: string[]): number
  memory: WebAssembly.Memory
  /** The stack pointer before anything ran: the top of Emscripten's stack. */
  stackTop: number
  /** Whether jq asked for memory past the cap. */
  capReached(): boolean
}

type Imports = Record<string, WebAssembly.ImportValue>
type WasiCall = (...args: number[]) => number

/** The (pointer, length) pairs of a WASI iovec array, as [pointer0, length0, pointer1, length1, …]. */
function iovecs(memory: WebAssembly.Memory, iov: number, count: number): Uint32Array {
  return new Uint32Array(memory.buffer, iov, count * 2)
}

function setU32(memory: WebAssembly.Memory, pointer: number, value: number): void {
  new DataView(memory.buffer).setUint32(pointer, value, true)
}

function hookedImports(imports: Imports, stdio: JqStdio, memory: () => WebAssembly.Memory, cap: CapState): Imports {
  const fdRead = imports.fd_read as WasiCall
  const fdWrite = imports.fd_write as WasiCall
  const resizeHeap = imports.emscripten_resize_heap as WasiCall
  return {
    ...imports,
    fd_read: (fd: number, iov: number, count: number, read: number) => {
      if (fd !== 0) return fdRead(fd, iov, count, read)
      const pairs = iovecs(memory(), iov, count)
      let bytes = 0
      for (let i = 0; i < pairs.length && bytes === 0; i += 2)
        if (pairs[i + 1] > 0) bytes = stdio.read(new Uint8Array(memory().buffer, pairs[i], pairs[i + 1]))
      setU32(memory(), read, bytes)
      return 0
    },
    fd_write: (fd: number, iov: number, count: number, written: number) => {
      if (fd !== 1 && fd !== 2) return fdWrite(fd, iov, count, written)
      const pairs = iovecs(memory(), iov, count)
      let total = 0
      for (let i = 0; i < pairs.length; i += 2) {
        stdio.write(fd, new Uint8Array(memory().buffer, pairs[i], pairs[i + 1]))
        total += pairs[i + 1]
      }
      setU32(memory(), written, total)
      return 0
    },
    environ_sizes_get: (count: number, size: number) => {
      setU32(memory(), count, 0)
      setU32(memory(), size, 0)
      return 0
    },
    environ_get: () => 0,
    emscripten_resize_heap: (requested: number) => {
      if (requested >>> 0 <= cap.bytes) return resizeHeap(requested)
      cap.reached = true
      return 0
    }
  }
}

interface CapState {
  bytes: number
  reached: boolean
}

/** A jq instance with `stdio` as its standard streams and at most about `memoryCapBytes` of memory. */
export async function startJq(jq: LoadedJq, stdio: JqStdio, memoryCapBytes: number): Promise<JqInstance> {
  const cap: CapState = { bytes: memoryCapBytes, reached: false }
  let instance: WebAssembly.Instance | undefined
  let fail: (error: unknown) => void = () => undefined
  const failed = new Promise<never>((_resolve, reject) => (fail = reject))
  const memory = () => instance?.exports.memory as WebAssembly.Memory
  const silent = () => undefined
  const started = jqFactory(jq)({
    // Emscripten's own streams and messages (such as "Aborted()") would print: the hooks below replace them.
    preRun: [],
    print: silent,
    printErr: silent,
    stdin: () => null,
    stdout: silent,
    stderr: silent,
    thisProgram: 'jq',
    instantiateWasm(info: { env: Imports }, receive: (instance: WebAssembly.Instance) => void) {
      const env = hookedImports(info.env, stdio, memory, cap)
      WebAssembly.instantiate(jq.wasm, { env, wasi_snapshot_preview1: env }).then((created) => {
        instance = created
        receive(created)
      }, fail)
      return {}
    }
  })
  const module = await Promise.race([started, failed])
  if (!instance) throw new Error('jq-web did not instantiate its WebAssembly through instantiateWasm')
  return wrap(module, instance, cap)
}

function wrap(module: EmscriptenJq, instance: WebAssembly.Instance, cap: CapState): JqInstance {
  const exports = instance.exports as Record<string, (pointer?: number) => number>
  return {
    // Emscripten leaves main()'s arguments on its stack and sets process.exitCode (jq-web's raw() undoes both).
    callMain(args) {
      const stack = exports.emscripten_stack_get_current()
      const exitCode = process.exitCode
      try {
        return module.callMain(args)
      } finally {
        exports._emscripten_stack_restore(stack)
        process.exitCode = exitCode
      }
    },
    memory: instance.exports.memory as WebAssembly.Memory,
    stackTop: exports.emscripten_stack_get_current(),
    capReached: () => cap.reached
  }
}
