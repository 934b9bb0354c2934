/** `20261122T080022`: the time part of the names of the files a run writes by default. */
export function fileStamp(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')
}

let lastRunStamp = { stamp: '', count: 0 }

/**
 * `20261122T080022-4242`: the time and the process, for a file each run makes anew (a journal, a record). A
 * process can make two in one second (a test, or a server, running commands in one process): the second gets
 * `-2`, and so on.
 */
export function runStamp(now = new Date()): string {
  const stamp = `${fileStamp(now)}-${process.pid}`
  const count = stamp === lastRunStamp.stamp ? lastRunStamp.count + 1 : 1
  lastRunStamp = { stamp, count }
  return count === 1 ? stamp : `${stamp}-${count}`
}
