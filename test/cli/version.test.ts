import { readFileSync } from 'fs'
import { join } from 'path'
import { ensureBuilt, ROOT, runCli } from './helpers'

/** `--version`, and `preview` given a folder (as the studio is): both as users run the compiled command. */

beforeAll(() => ensureBuilt(), 120_000)

it('prints the package version for --version and -V, with exit code 0', async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  for (const flag of ['--version', '-V']) {
    const result = await runCli([flag])
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` })
  }
})

it('previews a folder of events (its .json, .jsonl and .ndjson files in name order), with no EISDIR', async () => {
  const result = await runCli(['preview', join(ROOT, 'examples', 'events'), '--json'])
  expect(result.stderr).not.toContain('EISDIR')
  const items = JSON.parse(result.stdout) as { source: string; event?: string }[]
  expect(items).toHaveLength(13)
  expect(items[0].source).toMatch(/01-identify\.json$/)
  expect(items.map((i) => i.event)).toContain('track "Order Completed"')
  expect(result.stderr).toMatch(/13 events previewed/)
})
