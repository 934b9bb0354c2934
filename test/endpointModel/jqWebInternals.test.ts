import { readFileSync } from 'fs'
import { join, resolve } from 'path'
import { jqFactory, loadJq } from '../../src/endpointModel/jq/jqWeb'
import { startJq } from '../../src/endpointModel/jq/thread/instance'
import type { JqInstance } from '../../src/endpointModel/jq/thread/instance'
import { stackGuard, STACK_BYTES } from '../../src/endpointModel/jq/thread/context'

/**
 * The upgrade guard: the engine relies on jq-web 0.6.2's insides, not on its API (raw()): jq.js's layout (the
 * Emscripten factory it assigns first), Emscripten's module options (instantiateWasm, print, stdin…) and
 * callMain, jq.wasm's imports and exports, jq's way of reading stdin line by line, and Emscripten's stack layout.
 * If any of these tests fails after an upgrade, the engine must be revisited before the upgrade goes in.
 */

const ROOT = resolve(__dirname, '../..')

interface Recorded {
  jq: JqInstance
  log: string[]
  /** Lines for stdin; once they run out, the end of input. */
  lines: string[]
}

async function recordingJq(lines: string[], memoryCapMb = 256): Promise<Recorded> {
  const log: string[] = []
  const encoder = new TextEncoder()
  const decoder = new TextDecoder()
  const jq = await startJq(
    await loadJq(),
    {
      read(into) {
        const line = lines.shift()
        log.push(line === undefined ? 'read: end' : `read: ${line}`)
        if (line === undefined) return 0
        const bytes = encoder.encode(`${line}\n`)
        into.set(bytes)
        return bytes.length
      },
      write: (fd, bytes) => log.push(`${fd === 1 ? 'out' : 'err'}: ${decoder.decode(bytes)}`)
    },
    memoryCapMb * 1024 * 1024
  )
  return { jq, log, lines }
}

describe("jq-web's internals the engine relies on", () => {
  it('is jq-web 0.6.2, pinned exactly', () => {
    const project = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    expect(project.dependencies['jq-web']).toBe('0.6.2')
    const installed = JSON.parse(readFileSync(require.resolve('jq-web/package.json'), 'utf8')) as { version: string }
    expect(installed.version).toBe('0.6.2')
  })

  it("hands out its Emscripten factory as jq.js's first module.exports", async () => {
    expect(typeof jqFactory(await loadJq())).toBe('function')
  })

  it('has the WebAssembly imports and exports the engine hooks', async () => {
    const { wasm } = await loadJq()
    const imports = WebAssembly.Module.imports(wasm).map((i) => i.name)
    expect(imports).toEqual(
      expect.arrayContaining(['fd_read', 'fd_write', 'environ_get', 'environ_sizes_get', 'emscripten_resize_heap'])
    )
    const exports = WebAssembly.Module.exports(wasm).map((e) => e.name)
    expect(exports).toEqual(
      expect.arrayContaining(['memory', 'emscripten_stack_get_current', '_emscripten_stack_restore'])
    )
  })

  it('reads stdin through fd_read one line at a time: each answer is written before the next line is read', async () => {
    const { jq, log } = await recordingJq(['{"a":1}', '{"a":2}'])
    expect(jq.callMain(['-c', '-M', '--unbuffered', '-R', 'fromjson | .a'])).toBe(0)
    const lines = log.filter((entry) => entry !== 'out: \n')
    expect(lines).toEqual(['read: {"a":1}', 'out: 1', 'read: {"a":2}', 'out: 2', 'read: end'])
  })

  it('runs main() again and again on one instance, exit status 3 and stderr for a compile error', async () => {
    const { jq, log } = await recordingJq([])
    expect(jq.callMain(['-n', '1 + 1'])).toBe(0)
    expect(jq.callMain(['-n', '.a |||'])).toBe(3)
    expect(log.join('')).toContain('syntax error')
    expect(jq.callMain(['-n', '"again"'])).toBe(0)
    expect(log[log.length - 2]).toBe('out: "again"')
  })

  it('gives jq the environment of its environ imports, which the engine leaves empty', async () => {
    const { jq, log } = await recordingJq([])
    jq.callMain(['-n', '-c', '[$ENV, env]'])
    expect(log.join('')).toContain('out: [{},{}]')
  })

  it('lets the engine refuse memory past the cap, which jq cannot get past', async () => {
    const { jq } = await recordingJq([], 64)
    expect(() => jq.callMain(['-n', '[range(1e8)] | length'])).toThrow()
    expect(jq.capReached()).toBe(true)
  })

  it('keeps a 64 KiB stack below its initial stack pointer, whose bottom only a deep tojson reaches', async () => {
    const { jq } = await recordingJq([])
    expect(jq.stackTop % 16).toBe(0)
    expect(jq.stackTop).toBeGreaterThan(STACK_BYTES)
    const guard = stackGuard(jq.memory, jq.stackTop)
    const endpoint = readFileSync(join(ROOT, 'examples/movable-ink-endpoint.json'), 'utf8')
    jq.callMain(['-n', `${JSON.stringify(endpoint)} | fromjson | [.. | strings] | map(test("[a-z]+"; "g")) | length`])
    expect(guard.touched()).toBe(false)
    try {
      jq.callMain(['-n', 'reduce range(45) as $i (null; [.]) | tojson | length'])
    } catch {
      // Past the end it may trap as well: what matters is that the guard saw it.
    }
    expect(guard.touched()).toBe(true)
  })

  it('is jq 1.7: its builtins, and numbers kept as they were written', async () => {
    const { jq, log } = await recordingJq(['{"n":12345678901234567890,"b":{"x":1,"y":2}}'])
    jq.callMain(['-c', '-M', '-R', 'fromjson | [.n, (.b | pick(.x)), (builtins | length)]'])
    expect(log.join('')).toContain('out: [12345678901234567890,{"x":1},218]')
  })
})
