/** The summary of a CPU profile (`npm run bench -- --profile`), on a tiny hand-made one. */
import { ownerOf, summarize } from '../../bench/src/profile'

const root = '/work/project'
const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber })

// (root) -> onEvent (actions-core) -> prepareEvent (ours, dist/) -> stringify (native); and (garbage collector)
const profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 5] },
    {
      id: 2,
      callFrame: frame(
        'onEvent',
        `file://${root}/node_modules/@segment/actions-core/dist/cjs/destination-kit/index.js`,
        9
      ),
      children: [3]
    },
    {
      id: 3,
      callFrame: frame('prepareEvent', `file://${root}/dist/destinations/movable-ink/prepareEvent.js`, 39),
      children: [4]
    },
    { id: 4, callFrame: frame('stringify', '') },
    { id: 5, callFrame: frame('(garbage collector)', '') }
  ],
  samples: [4, 4, 3, 5, 2],
  timeDeltas: [0, 100, 100, 100, 100, 100],
  startTime: 0,
  endTime: 500
}

describe('profile', () => {
  it('names who each frame belongs to', () => {
    expect(ownerOf(`file://${root}/dist/destinations/movable-ink/index.js`, 'perform')).toBe(
      'ours: dist/destinations/movable-ink'
    )
    expect(ownerOf(`${root}/node_modules/@segment/actions-core/dist/cjs/mapping-kit/index.js`, 'transform')).toBe(
      'actions-core: mapping-kit'
    )
    expect(ownerOf(`${root}/node_modules/@segment/actions-core/dist/cjs/create-request-client.js`, 'x')).toBe(
      'actions-core: create-request-client'
    )
    expect(ownerOf(`${root}/node_modules/node-fetch/lib/index.js`, 'fetch')).toBe('node-fetch')
    expect(ownerOf('node:internal/http', 'write')).toBe('node: internal')
    expect(ownerOf(`${root}/bench/out/bench/src/runRound.js`, 'lane')).toBe('bench harness')
    expect(ownerOf('', '(garbage collector)')).toBe('GC')
  })

  it('adds self time by owner and by function, and inclusive time once per stack', () => {
    const s = summarize(profile)
    expect(s.totalUs).toBe(500)
    expect(s.selfByOwner).toEqual([
      ['native: stringify', 200],
      ['ours: dist/destinations/movable-ink', 100],
      ['GC', 100],
      ['actions-core: destination-kit/index', 100]
    ])
    expect(s.selfByFunction[0]).toEqual(['stringify :1', 200])
    expect(new Map(s.inclusive).get('prepareEvent dist/destinations/movable-ink/prepareEvent.js:40')).toBe(300)
    expect(new Map(s.inclusive).get('onEvent dist/cjs/destination-kit/index.js:10')).toBe(400)
    expect(new Map(s.inclusive).get('(root) :1')).toBe(500)
  })
})
