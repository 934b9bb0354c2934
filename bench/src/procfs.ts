/**
 * Figures of a live process that Node does not give for another process, from Linux's /proc: undefined
 * where there is no /proc (the figures that need them are then left out).
 */
import { readFileSync } from 'fs'

/** CPU time (user + system) a live process has used so far, in µs. */
export function procCpuUs(pid: number | undefined): number | undefined {
  if (!pid) return undefined
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // fields[11] and [12] are utime and stime (fields 14 and 15 of proc(5)), in clock ticks (USER_HZ, 100 on Linux)
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100
  } catch {
    return undefined
  }
}

/** VmHWM (peak RSS) of a live process. */
export function vmHwmBytes(pid: number): number | undefined {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+)\s+kB/m)
    return match ? Number(match[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}
