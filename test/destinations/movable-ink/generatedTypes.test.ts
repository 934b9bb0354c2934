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

  it.each([
    ['sendEntireEvent/generated-types.ts', 'batch_size?: number', 'batch_size?: string'],
    ['metadata.json', '"name": "Movable Ink"', '"name": "Movable Ink (edited)"']
  ])('a hand-edited %s is reported as stale', (name, from, to) => {
    // A copy of the destination inside the project (so its imports resolve), never the folder itself.
    mkdirSync(path.join(ROOT, 'test-output'), { recursive: true })
    const copy = mkdtempSync(path.join(ROOT, 'test-output', 'types-'))
    try {
      cpSync(path.join(ROOT, 'src/destinations/movable-ink'), path.join(copy, 'movable-ink'), { recursive: true })
      const file = path.join(copy, 'movable-ink', name)
      const text = readFileSync(file, 'utf8')
      expect(text).toContain(from)
      writeFileSync(file, text.replace(from, to))
      const result = checkTypes(copy)
      expect(result.status).toBe(1)
      expect(result.stderr).toContain(`stale: ${path.relative(ROOT, file)}`)
    } finally {
      rmSync(copy, { recursive: true, force: true })
    }
  })
})
