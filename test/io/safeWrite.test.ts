import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'fs'
import { join } from 'path'
import { fileVersion, SafeWriteError, writeFileSafely } from '../../src/io/safeWrite'
import { tempDir } from '../tempDir'

/** The one way commands replace a whole file: no link, only inside the folder named, renamed into place. */

const dir = tempDir('safe-write-')

function refusal(run: () => void): SafeWriteError {
  try {
    run()
  } catch (error) {
    if (error instanceof SafeWriteError) return error
    throw error
  }
  throw new Error('not refused')
}

it('replaces a file by renaming a new one into place, keeping its permissions, and leaves no temporary file', () => {
  const file = join(dir, 'a.json')
  writeFileSync(file, 'old', { mode: 0o640 })
  const before = statSync(file).ino
  writeFileSafely(file, 'new')
  expect(readFileSync(file, 'utf8')).toBe('new')
  expect(statSync(file).ino).not.toBe(before)
  expect(statSync(file).mode & 0o777).toBe(0o640)
  expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([])
})

it('refuses a symbolic link, dangling or not, and a path outside the folder named (through a linked folder too)', () => {
  const outside = tempDir('safe-write-outside-')
  writeFileSync(join(outside, 'target'), 'theirs')
  symlinkSync(join(outside, 'target'), join(dir, 'link.json'))
  symlinkSync(join(outside, 'missing'), join(dir, 'dangling.json'))
  symlinkSync(outside, join(dir, 'linked-folder'))
  expect(refusal(() => writeFileSafely(join(dir, 'link.json'), 'x')).reason).toBe('ELINK')
  expect(refusal(() => writeFileSafely(join(dir, 'dangling.json'), 'x')).reason).toBe('ELINK')
  const through = join(dir, 'linked-folder', 'new.json')
  expect(refusal(() => writeFileSafely(through, 'x', { within: dir })).reason).toBe('EOUTSIDE')
  expect(refusal(() => writeFileSafely(join(dir, '..', 'up.json'), 'x', { within: dir })).reason).toBe('EOUTSIDE')
  expect(readFileSync(join(outside, 'target'), 'utf8')).toBe('theirs')
  expect(readdirSync(outside)).toEqual(['target'])
  mkdirSync(join(dir, 'sub'))
  writeFileSafely(join(dir, 'sub', 'ok.json'), 'ok', { within: dir })
  expect(readFileSync(join(dir, 'sub', 'ok.json'), 'utf8')).toBe('ok')
})

it('refuses a file that changed since its version was read, and a new file that appeared meanwhile', () => {
  const file = join(dir, 'versioned.json')
  writeFileSync(file, 'one')
  const version = fileVersion(file)
  writeFileSync(file, 'two')
  expect(refusal(() => writeFileSafely(file, 'three', { expectedVersion: version })).reason).toBe('ECHANGED')
  writeFileSafely(file, 'three', { expectedVersion: fileVersion(file) })
  expect(readFileSync(file, 'utf8')).toBe('three')
  const fresh = join(dir, 'fresh.json')
  writeFileSync(fresh, 'someone else')
  expect(refusal(() => writeFileSafely(fresh, 'mine', { expectedVersion: null })).reason).toBe('ECHANGED')
})
