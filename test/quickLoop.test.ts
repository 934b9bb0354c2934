import { readdirSync, readFileSync } from 'fs'
import { join, relative } from 'path'

/**
 * `npm run test:quick` leaves out exactly the test files that start the compiled command (a build, then a
 * process per run), so that a file that starts using it leaves the inner loop with it, and one that stops
 * comes back.
 */
const ROOT = join(__dirname, '..')
const STARTS_THE_COMMAND = /\b(runCli|startReceive)\(|\bCLI\b/

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return testFiles(path)
    return entry.name.endsWith('.test.ts') ? [relative(ROOT, path)] : []
  })
}

it('test:quick leaves out the test files that start the compiled command, and only those of test/cli/', () => {
  const { testPathIgnorePatterns: patterns } =
    jest.requireActual<{ testPathIgnorePatterns: string[] }>('../jest.quick.config')
  const ignored = (file: string) =>
    patterns.some((pattern) => new RegExp(pattern.replace('<rootDir>', ROOT)).test(join(ROOT, file)))
  const inCli = (file: string) => file.startsWith('test/cli/')
  const files = testFiles(join(ROOT, 'test'))
  const starting = files.filter((file) => STARTS_THE_COMMAND.test(readFileSync(join(ROOT, file), 'utf8')))
  expect(starting.filter(inCli).length).toBeGreaterThan(0)
  expect(files.filter(inCli).filter(ignored)).toEqual(starting.filter(inCli))
  expect(starting.filter((file) => !inCli(file) && !ignored(file))).toEqual([])
})
