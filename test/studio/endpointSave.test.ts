import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'fs'
import { join } from 'path'
import { DEFAULT_ENDPOINT_FILE } from '../../src/endpointModel'
import { presetSubscriptions } from '../../src/runtime/subscriptions'
import { studioInputs } from '../../src/studio/expectations'
import { startStudio } from '../../src/studio/server'
import type { Studio } from '../../src/studio/server'
import { call, EXAMPLE_ENDPOINT, ROOT, saveAsExpected } from './helpers'
import { tempDir } from '../tempDir'

/**
 * The studio's endpoint file (issues 24 and 26): a save goes only where the studio says, is what a reload and
 * a restart show, and never undoes a change made elsewhere since the page read the file.
 */

const exampleEndpoint = () => JSON.parse(readFileSync(EXAMPLE_ENDPOINT, 'utf8')) as { mappings: { name: string }[] }

function edited(name: string) {
  const endpoint = exampleEndpoint()
  endpoint.mappings[0].name = name
  return endpoint
}

/** A studio as `movable-ink studio` starts it without --endpoint: the bundled defaults, saved to the folder. */
async function studioIn(dir: string, files: string[] = []): Promise<Studio> {
  const saveFile = join(dir, 'movable-ink-endpoint.json')
  return startStudio({
    files,
    endpointFile: existsSync(saveFile) ? saveFile : DEFAULT_ENDPOINT_FILE,
    saveFile,
    subscriptions: presetSubscriptions(),
    settings: {},
    workDir: dir
  })
}

const save = (studio: Studio, body: Record<string, unknown>) => call(studio, 'PUT', '/api/endpoint', { body })
const state = async (studio: Studio) => (await call(studio, 'GET', '/api/state')).json

let studios: Studio[] = []
afterEach(async () => {
  await Promise.all(studios.map((s) => s.close()))
  studios = []
})

async function open(dir: string, files: string[] = []): Promise<Studio> {
  const studio = await studioIn(dir, files)
  studios.push(studio)
  return studio
}

const newDir = () => realpathSync(tempDir('studio-endpoint-'))

describe('the studio starts from what it saved', () => {
  it('shows after a save, a reload and a restart exactly what was saved, and the next save keeps it', async () => {
    const dir = newDir()
    const first = await open(dir)
    const before = await state(first)
    expect(before.endpoint).toEqual(exampleEndpoint())
    expect(before.version).toBeNull() // no file in the working folder yet
    const saved = await save(first, { endpoint: edited('Mine'), version: before.version })
    expect(saved.json).toMatchObject({ saved: join(dir, 'movable-ink-endpoint.json'), replaced: false })
    expect((await state(first)).endpoint).toEqual(edited('Mine')) // a reload
    await first.close()
    studios = []
    const again = await open(dir) // a restart in the same folder
    const after = await state(again)
    expect(after.endpoint).toEqual(edited('Mine'))
    expect(after.endpointFile).toBe('movable-ink-endpoint.json')
    const next = edited('Mine')
    next.mappings[1].name = 'Also mine'
    expect((await save(again, { endpoint: next, version: after.version })).status).toBe(200)
    expect(JSON.parse(readFileSync(join(dir, 'movable-ink-endpoint.json'), 'utf8'))).toEqual(next)
  })
})

describe('a save goes only where the studio says', () => {
  it('writes the save file, and a .json file inside the working folder named relative or absolute', async () => {
    const dir = newDir()
    const studio = await open(dir)
    expect((await save(studio, { endpoint: edited('A'), version: null, path: 'customer.json' })).json).toMatchObject({
      saved: join(dir, 'customer.json')
    })
    mkdirSync(join(dir, 'sub'))
    const deeper = join(dir, 'sub', 'b.json')
    expect((await save(studio, { endpoint: edited('B'), version: null, path: deeper })).status).toBe(200)
    expect(JSON.parse(readFileSync(deeper, 'utf8'))).toEqual(edited('B'))
  })

  it('refuses with 403 a file outside the working folder, the bundled examples and a loaded sample file', async () => {
    const dir = newDir()
    const outside = join(newDir(), 'package.json')
    writeFileSync(outside, '{"name": "someone-else"}\n')
    cpSync(join(ROOT, 'examples', 'suite'), join(dir, 'suite'), { recursive: true })
    const sample = join(dir, 'suite', 'identify.json')
    const studio = await open(dir, studioInputs([join(dir, 'suite')]).files)
    const cases: [string, string][] = [
      [outside, 'is outside'],
      [join(dir, '..', 'escape.json'), 'is outside'],
      [EXAMPLE_ENDPOINT, 'is among the bundled examples'],
      [sample, 'loaded events or expectations from'],
      [join(dir, 'suite', '..', 'suite', 'group.json'), 'loaded events or expectations from'],
      [join(dir, 'suite', 'group.expected.json'), 'loaded events or expectations from']
    ]
    for (const [path, why] of cases) {
      const answer = await save(studio, { endpoint: edited('X'), path, overwrite: true })
      expect([path, answer.status]).toEqual([path, 403])
      expect(answer.json.error).toContain(why)
      expect(answer.json.error).toContain(`only to ${join(dir, 'movable-ink-endpoint.json')} or to a .json file inside`)
    }
    expect(readFileSync(outside, 'utf8')).toBe('{"name": "someone-else"}\n')
    expect(readFileSync(EXAMPLE_ENDPOINT, 'utf8')).toBe(readFileSync(DEFAULT_ENDPOINT_FILE, 'utf8'))
    expect(JSON.parse(readFileSync(sample, 'utf8')).type).toBe('identify')
  })

  it('does not write through a symbolic link, in the folder or out of it', async () => {
    const dir = newDir()
    const target = join(newDir(), 'target.json')
    writeFileSync(target, '{}\n')
    symlinkSync(target, join(dir, 'link.json'))
    symlinkSync(newDir(), join(dir, 'elsewhere'))
    const studio = await open(dir)
    const link = await save(studio, { endpoint: edited('L'), path: 'link.json', overwrite: true })
    expect(link.status).toBe(403)
    expect(link.json.error).toContain('is a symbolic link')
    const through = await save(studio, { endpoint: edited('L'), path: 'elsewhere/x.json', overwrite: true })
    expect(through.status).toBe(403)
    expect(through.json.error).toContain('is outside')
    expect(readFileSync(target, 'utf8')).toBe('{}\n')
  })
})

describe('saves are conditional', () => {
  it('answers 409 when the file changed since the page read it, and overwrites only when told', async () => {
    const dir = newDir()
    const file = join(dir, 'movable-ink-endpoint.json')
    writeFileSync(file, JSON.stringify(exampleEndpoint()))
    const studio = await open(dir)
    const { version } = await state(studio)
    writeFileSync(file, JSON.stringify(edited('From the editor'))) // an editor, after the page loaded
    const stale = await save(studio, { endpoint: edited('From the page'), version })
    expect(stale.status).toBe(409)
    expect(stale.json.error).toContain(`${file} changed since this page read it`)
    expect(stale.json.conflict).toBe(true)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(edited('From the editor'))
    const forced = await save(studio, { endpoint: edited('From the page'), overwrite: true })
    expect(forced.status).toBe(200)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(edited('From the page'))
  })

  it('lets two tabs not undo each other: the second save of the same version is refused', async () => {
    const dir = newDir()
    const studio = await open(dir)
    const { version } = await state(studio) // both tabs loaded the page
    const one = await save(studio, { endpoint: edited('Tab one'), version })
    expect(one.status).toBe(200)
    expect((await save(studio, { endpoint: edited('Tab two'), version })).status).toBe(409)
    expect((await save(studio, { endpoint: edited('Tab one again'), version: one.json.version })).status).toBe(200)
  })

  it('asks for the version read (428) rather than replacing blindly', async () => {
    const studio = await open(newDir())
    const answer = await save(studio, { endpoint: edited('?') })
    expect(answer.status).toBe(428)
    expect(answer.json.error).toContain('"overwrite": true')
  })
})

describe('"Save as expected" does not write through links', () => {
  it('refuses "Save all" when an expected file is a link, writes nothing, and leaves the target', async () => {
    const dir = newDir()
    const suite = join(dir, 'suite')
    cpSync(join(ROOT, 'examples', 'suite'), suite, { recursive: true })
    const target = join(newDir(), 'theirs.json')
    writeFileSync(target, readFileSync(join(suite, 'identify.expected.json')))
    const before = readFileSync(target, 'utf8')
    rmSync(join(suite, 'identify.expected.json'))
    symlinkSync(target, join(suite, 'identify.expected.json'))
    const studio = await open(dir, studioInputs([suite]).files)
    const answer = await saveAsExpected(studio, { endpoint: edited('Renamed'), all: true })
    expect(answer.status).toBe(400)
    expect(answer.json.error).toContain(
      `${join(suite, 'identify.expected.json')} cannot be written: it is a symbolic link`
    )
    expect(readFileSync(target, 'utf8')).toBe(before)
  })

  it('refuses a pasted-events suite file that is a dangling link out of the working folder', async () => {
    const dir = newDir()
    const away = join(newDir(), 'created-elsewhere.jsonl')
    mkdirSync(join(dir, 'movable-ink-suite'))
    symlinkSync(away, join(dir, 'movable-ink-suite', 'pasted.jsonl'))
    const studio = await open(dir)
    const event = {
      type: 'identify',
      userId: 'u-1',
      anonymousId: 'a-1',
      messageId: 'p-1',
      timestamp: new Date().toISOString()
    }
    const added = await call(studio, 'POST', '/api/events', { body: { text: JSON.stringify(event) } })
    const id = added.json.added[0].id as number
    const answer = await saveAsExpected(studio, {
      endpoint: exampleEndpoint(),
      id,
      path: join('movable-ink-suite', 'pasted.jsonl')
    })
    expect(answer.status).toBe(400)
    expect(answer.json.error).toContain('is a symbolic link')
    expect(existsSync(away)).toBe(false)
  })
})
