/** `20261122T080022`: the time part of the names of the files a run writes by default. */
export function fileStamp(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')
}
