import { spawnSync } from 'child_process'
import { copyFileSync, readFileSync, writeFileSync } from 'fs'
import path from 'path'

// The generator runs in its own process: json-schema-to-typescript loads prettier with a dynamic import,
// which jest's module sandbox does not support.
const ROOT = path.join(__dirname, '..', '..', '..')
const checkTypes = () =>
  spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/generate-types.ts', '--check'], {
    cwd: ROOT,
    encoding: 'utf8'
  })

describe('generated-types.ts', () => {
  it('every committed file matches what `npm run types` generates from the fields', () => {
    const result = checkTypes()
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain('src/destinations/movable-ink/generated-types.ts')
    expect(result.stdout).toContain('src/destinations/movable-ink/sendEntireEvent/generated-types.ts')
    expect(result.status).toBe(0)
  })

  it('a hand-edited file is reported as stale', () => {
    const file = path.join(ROOT, 'src/destinations/movable-ink/sendEntireEvent/generated-types.ts')
    const backup = file + '.bak'
    copyFileSync(file, backup)
    try {
      writeFileSync(file, readFileSync(file, 'utf8').replace('batch_size?: number', 'batch_size?: string'))
      const result = checkTypes()
      expect(result.status).toBe(1)
      expect(result.stderr).toMatch(/stale: src\/destinations\/movable-ink\/sendEntireEvent\/generated-types.ts/)
    } finally {
      copyFileSync(backup, file)
      require('fs').unlinkSync(backup)
    }
  })
})
