// The package entry is this project's, not part of the destination folder that drops into the monorepo.
import definition from '../../../src/destinations/movable-ink'
import packageDefault, { movableInk } from '../../../src'

describe('the package entry', () => {
  it('exports the Movable Ink destination as its default and as movableInk', () => {
    expect(packageDefault).toBe(definition)
    expect(movableInk).toBe(definition)
  })
})
