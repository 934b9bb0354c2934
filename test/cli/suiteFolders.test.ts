import { cpSync } from 'fs'
import { join } from 'path'
import { ROOT, runMain, tempDir } from './helpers'

/**
 * A suite folder is not a pile of events (issue 24): preview, send and test --coverage leave its
 * *.expected.json files out, and say how many they left out, with their closing lines (the coverage report's).
 */

const SKIPPED =
  "Skipped 4 expected files in the folders given (suite/checkout.expected.json, ...): a suite's *.expected.json files are expected results, not events (movable-ink test reads them)."

let dir: string
beforeAll(() => {
  dir = tempDir()
  cpSync(join(ROOT, 'examples', 'suite'), join(dir, 'suite'), { recursive: true })
})

it('preview previews the 6 sample events, not the expected files, and says so', async () => {
  const result = await runMain(['preview', 'suite'], { cwd: dir })
  expect(result.stdout).toContain(SKIPPED)
  expect(result.stdout).toContain('6 events previewed')
  expect(result.stdout).not.toContain('(no type)')
})

it('send sends the 6 sample events to the embedded stand-in, not the expected files, and says so', async () => {
  const result = await runMain(['send', 'suite', '--no-journal', '--record', 'received.jsonl'], { cwd: dir })
  expect(result.stdout).toContain(SKIPPED)
  expect(result.stdout).toMatch(/ of 6 events/)
})

it('test --coverage reports on the 6 sample events, not the expected files, and says so', async () => {
  const result = await runMain(['test', '--coverage', 'suite', '--workers', '0'], { cwd: dir })
  expect(result.stdout).toContain(SKIPPED)
  expect(result.stdout).toMatch(/ of 6 events/)
  expect(result.stdout).not.toContain('(no type)')
})

it('a folder with only expected files is refused, naming them', async () => {
  const only = join(dir, 'only')
  cpSync(join(ROOT, 'examples', 'suite', 'group.expected.json'), join(only, 'group.expected.json'))
  const result = await runMain(['preview', 'only'], { cwd: dir })
  expect(result.code).toBe(2)
  expect(result.stderr).toContain(
    'The folder only holds no event files (JSON or JSON Lines, gzipped or not): Skipped 1 expected file in the folders given (only/group.expected.json)'
  )
})
