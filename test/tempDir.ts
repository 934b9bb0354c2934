import { mkdtempSync, rmSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'

/** The temporary folders of the test file that imports this module (jest loads it once per file), removed after its last test. */
const madeDirs: string[] = []
afterAll(() => {
  for (const made of madeDirs.splice(0)) rmSync(made, { recursive: true, force: true })
})

/** A new folder in the system's temporary folder, named `prefix` and six random characters, removed after the file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  madeDirs.push(dir)
  return dir
}
