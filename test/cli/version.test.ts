import { execFileSync } from 'child_process'
import { readFileSync, writeFileSync } from 'fs'
import { join, sep } from 'path'
import { CLI, cleanEnv, ensureBuilt, ROOT, runCli, tempDir } from './helpers'

/**
 * What only the compiled command's process shows, as users run it: its exit status and where its messages go,
 * `--version`, `preview` given a folder (as the studio is), and which modules a run loads. The other command
 * tests run `main` in jest's process (runMain in helpers.ts).
 */

beforeAll(() => ensureBuilt(), 120_000)

it('prints the package version for --version and -V, with exit code 0', async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  for (const flag of ['--version', '-V']) {
    const result = await runCli([flag])
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` })
  }
})

it("exits with main's status, its messages on stderr: 1 when an event fails, 2 for a flag it does not know", async () => {
  const dir = tempDir()
  writeFileSync(join(dir, 'broken.jsonl'), '{"type": "track", "event": "Cut\n')
  const failed = await runCli(['send', 'broken.jsonl', '--no-journal'], { cwd: dir })
  expect(failed.code).toBe(1)
  expect(failed.stdout).toContain('broken.jsonl:1: malformed input')
  const unknown = await runCli(['preview', '--no-such-flag'])
  expect(unknown).toMatchObject({ code: 2, stdout: '' })
  expect(unknown.stderr).toContain("error: unknown option '--no-such-flag'")
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

describe('loading', () => {
  /** The compiled modules of dist/ a run of the command loaded, from a script preloaded with -r. */
  function loadedBy(args: string[]): string[] {
    const dir = tempDir()
    const report = join(dir, 'loaded.js')
    writeFileSync(
      report,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(
        join(dir, 'loaded.json')
      )}, JSON.stringify(Object.keys(require.cache))))`
    )
    execFileSync(process.execPath, ['-r', report, CLI, ...args], { env: cleanEnv(), stdio: 'ignore' })
    const dist = join(ROOT, 'dist') + sep
    return (JSON.parse(readFileSync(join(dir, 'loaded.json'), 'utf8')) as string[])
      .filter((file) => file.startsWith(dist))
      .map((file) => file.slice(dist.length).split(sep).join('/'))
  }

  it('loads only the command it runs, so that each pays for no other', () => {
    const preview = loadedBy(['preview', '--help'])
    expect(preview).toContain('cli/commands/preview.js')
    for (const other of ['send', 'test', 'receive', 'studio', 'demo'])
      expect(preview).not.toContain(`cli/commands/${other}.js`)
    expect(preview).not.toContain('studio/server.js')
  })

  it('loads every command for the overall help, and none for the version', () => {
    expect(loadedBy(['--help'])).toEqual(expect.arrayContaining(['cli/commands/send.js', 'cli/commands/studio.js']))
    expect(loadedBy(['--version']).filter((file) => file.startsWith('cli/commands/'))).toEqual([])
  })
})
