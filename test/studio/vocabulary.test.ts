import { readdirSync, readFileSync } from 'fs'
import { join } from 'path'
import { STATIC_DIR } from '../../src/studio/server'
import type { Studio } from '../../src/studio/server'
import { STATUS_ORDER, SUITE_STATES, VOCABULARY } from '../../src/studio/vocabulary'
import { call, startTestStudio } from './helpers'

/**
 * The statuses, the suite's letters and the field types are defined once (src/studio/vocabulary.ts): the page
 * gets them from GET /api/state and spells none of them itself.
 */

let studio: Studio
beforeAll(async () => {
  studio = (await startTestStudio()).studio
})
afterAll(() => studio.close())

it('sends the page every status with its tone and group, the suite states with their letters, and the field types', async () => {
  const { json } = await call(studio, 'GET', '/api/state')
  expect(json.vocabulary).toEqual(JSON.parse(JSON.stringify(VOCABULARY)))
  expect(Object.keys(json.vocabulary.statuses)).toEqual(STATUS_ORDER)
  expect(json.vocabulary.statuses['not for Movable Ink']).toEqual({ tone: 'decided', group: 'decided' })
  expect(json.vocabulary.fieldTypes).toContain('integer')
  const letters = Object.values(SUITE_STATES).map((s) => s.letter)
  expect(new Set(letters).size).toBe(letters.length)
})

it('leaves the page no status, suite letter or field type list of its own', () => {
  const modules = readdirSync(STATIC_DIR).filter((name) => name.endsWith('.js'))
  expect(modules.length).toBeGreaterThan(10)
  const spelled = [
    ...STATUS_ORDER.filter((s) => s.includes(' ')).map((s) => `'${s}'`),
    ...Object.values(SUITE_STATES).map((s) => `'${s.text}'`),
    "'integer'"
  ]
  const found = modules.flatMap((name) => {
    const text = readFileSync(join(STATIC_DIR, name), 'utf8')
    return spelled.filter((word) => text.includes(word) && word !== "'not sent'").map((word) => `${name}: ${word}`)
  })
  expect(found).toEqual([])
})
