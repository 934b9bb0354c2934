import { spawnSync } from 'child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs'
import path from 'path'

// The generator runs in its own process: json-schema-to-typescript loads prettier with a dynamic import,
// which jest's module sandbox does not support.
const ROOT = path.join(__dirname, '..', '..', '..')
const checkTypes = (destinations?: string) =>
  spawnSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      'scripts/generate-types.ts',
      '--check',
      ...(destinations ? ['--destinations', destinations] : [])
    ],
    { cwd: ROOT, encoding: 'utf8' }
  )

describe('generated-types.ts and metadata.json', () => {
  it('every committed file matches what `npm run types` generates from the definition', () => {
    const result = checkTypes()
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain('src/destinations/movable-ink/generated-types.ts')
    expect(result.stdout).toContain('src/destinations/movable-ink/sendEntireEvent/generated-types.ts')
    expect(result.stdout).toContain('src/destinations/movable-ink/metadata.json')
    expect(result.status).toBe(0)
  })

  it('a hand-edited generated-types.ts or metadata.json is reported as stale, each by name', () => {
    const edits: [string, string, string][] = [
      ['sendEntireEvent/generated-types.ts', 'batch_size?: number', 'batch_size?: string'],
      ['metadata.json', '"name": "Movable Ink"', '"name": "Movable Ink (edited)"']
    ]
    // A copy of the destination inside the project (so its imports resolve), never the folder itself. Both
    // edits in one copy: the generator runs in a process of its own, which loads TypeScript each time.
    mkdirSync(path.join(ROOT, 'test-output'), { recursive: true })
    const copy = mkdtempSync(path.join(ROOT, 'test-output', 'types-'))
    try {
      cpSync(path.join(ROOT, 'src/destinations/movable-ink'), path.join(copy, 'movable-ink'), { recursive: true })
      const files = edits.map(([name, from, to]) => {
        const file = path.join(copy, 'movable-ink', name)
        const text = readFileSync(file, 'utf8')
        expect(text).toContain(from)
        writeFileSync(file, text.replace(from, to))
        return file
      })
      const result = checkTypes(copy)
      expect(result.status).toBe(1)
      const stale = files.map((file) => path.relative(ROOT, file)).join(', ')
      // Those two, by name, and not the generated-types.ts left as it was.
      expect(result.stderr).toBe(`stale: ${stale}: run \`npm run types\` and commit the result\n`)
    } finally {
      rmSync(copy, { recursive: true, force: true })
    }
  })
})
