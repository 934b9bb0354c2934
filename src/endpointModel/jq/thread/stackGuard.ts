/**
 * Emscripten's C stack lives in linear memory, just above jq's static data, and this build does not check it for
 * overflow: `tojson` or `tostring` on a value nested about 40 levels deep (some 1.5 KB of stack per level) runs past
 * its end and silently overwrites jq's globals, so the instance gives wrong answers or traps later, on other
 * events. Ordinary work uses less than 20 KB of it, and memory starts zeroed, so its lowest 4 KB serve as a
 * guard: once anything was written there, the instance is no longer trusted.
 *
 * jq-web 0.6.2 keeps Emscripten's default stack of 64 KiB below the initial stack pointer;
 * test/endpointModel/jqWebInternals.test.ts checks that the guard is zero after real work and set by overflow.
 */

export const STACK_BYTES = 64 * 1024
const GUARD_WORDS = 1024

export interface StackGuard {
  /** Whether anything was ever written to the guard region. */
  touched(): boolean
}

export function stackGuard(memory: WebAssembly.Memory, stackTop: number): StackGuard {
  const low = stackTop - STACK_BYTES
  if (low <= 0 || low % 4 !== 0) throw new Error(`jq's stack does not start where expected (top ${stackTop})`)
  const touched = () => {
    // A plain loop: this runs between every two events.
    const words = new Int32Array(memory.buffer, low, GUARD_WORDS)
    for (let i = 0; i < GUARD_WORDS; i++) if (words[i] !== 0) return true
    return false
  }
  if (touched()) throw new Error(`jq's stack guard region (${low}) is not free: jq-web's memory layout changed`)
  return { touched }
}
