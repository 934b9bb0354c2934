const KB = 1024
const MB = 1024 * KB

/**
 * A size as people read it, in the units the studio's limits are set in (1 MB = 1,048,576 bytes, so the 5 MB
 * paste limit reads "5 MB", not 5.24): `5 MB`, `6.3 MB`, `812 KB`, `900 bytes`. Raw byte counts of seven digits
 * were what the messages quoted before.
 */
export function sizeText(bytes: number): string {
  if (bytes >= MB) {
    const mb = bytes / MB
    return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`
  }
  if (bytes >= KB) return `${Math.round(bytes / KB)} KB`
  return `${bytes} bytes`
}
