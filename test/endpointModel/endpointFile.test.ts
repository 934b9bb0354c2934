import { writeFileSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import { compileEndpoint, loadEndpointFile, DEFAULT_ENDPOINT_FILE, EndpointFileError } from '../../src/endpointModel'
import { tempDir } from '../tempDir'

const ok = {
  name: 'Identify',
  schema: 'Identify',
  match: '.type == "identify"',
  fields: [{ name: 'UserID', path: '.userId', type: 'string' }]
}

async function problemsOf(value: unknown) {
  try {
    await compileEndpoint(value)
  } catch (error) {
    expect(error).toBeInstanceOf(EndpointFileError)
    return (error as EndpointFileError).problems
  }
  throw new Error('expected an EndpointFileError')
}

describe('endpoint file validation', () => {
  it('loads the default file with its mappings in order', async () => {
    const endpoint = await loadEndpointFile(DEFAULT_ENDPOINT_FILE)
    expect(endpoint.spec.endpointKey).toBe('local-stand-in')
    expect(endpoint.spec.mappings.map((m) => m.name)).toEqual([
      'Identify',
      'Product Viewed',
      'Product Added',
      'Product Removed',
      'Category Viewed',
      'Products Searched',
      'Order Completed',
      'Newsletter Subscribed',
      'Page Viewed',
      'Engage Audience',
      'Engage Audience Entered/Exited',
      'Engage Computed Trait'
    ])
  })

  it('reports a missing endpointKey', async () => {
    const problems = await problemsOf({ mappings: [ok] })
    expect(problems).toEqual([
      { where: 'endpointKey', property: 'endpointKey', message: 'is missing: give a non-empty string' }
    ])
  })

  it('reports mappings that are not an array', async () => {
    const problems = await problemsOf({ endpointKey: 'k', mappings: {} })
    expect(problems).toEqual([
      { where: 'mappings', property: 'mappings', message: 'must be an array of event mappings (it may be empty)' }
    ])
  })

  it('reports a mapping without name, match and fields', async () => {
    const problems = await problemsOf({ endpointKey: 'k', mappings: [{ schema: 'Custom' }] })
    expect(problems.map((p) => p.where)).toEqual(['mappings[0].name', 'mappings[0].match', 'mappings[0].fields'])
    expect(problems[0].message).toBe('is missing: give a non-empty string')
    expect(problems[2].message).toMatch(/non-empty array/)
  })

  it('reports an unknown field type listing the allowed types', async () => {
    const problems = await problemsOf({
      endpointKey: 'k',
      mappings: [{ ...ok, fields: [{ name: 'UserID', path: '.userId', type: 'text' }] }]
    })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({
      where: 'mappings[0].fields[0].type',
      mapping: 0,
      field: 0,
      mappingName: 'Identify'
    })
    expect(problems[0].message).toBe(
      '"text" is not a field type: use one of string, number, integer, boolean, array, object, any'
    )
  })

  it('reports an unknown property with a did-you-mean hint', async () => {
    const problems = await problemsOf({ endpointKey: 'k', mappings: [{ ...ok, matches: '.type == "x"' }] })
    expect(problems).toHaveLength(1)
    expect(problems[0].where).toBe('mappings[0].matches')
    expect(problems[0].message).toContain('unknown property "matches": did you mean "match"?')
  })

  it('reports duplicate mapping names', async () => {
    const problems = await problemsOf({ endpointKey: 'k', mappings: [ok, ok] })
    expect(problems).toEqual([
      expect.objectContaining({
        where: 'mappings[1].name',
        mapping: 1,
        message: '"Identify" is already the name of another mapping'
      })
    ])
  })

  it('quotes jq for an invalid match and an invalid field path', async () => {
    const problems = await problemsOf({
      endpointKey: 'k',
      mappings: [{ ...ok, match: '.type ==', fields: [{ name: 'UserID', path: '.userId |||', type: 'string' }] }]
    })
    expect(problems).toHaveLength(2)
    expect(problems[0]).toMatchObject({
      where: 'mappings[0].match',
      mapping: 0,
      mappingName: 'Identify',
      property: 'match'
    })
    expect(problems[0].message).toMatch(/^is not valid jq: .*syntax error/s)
    expect(problems[1]).toMatchObject({ where: 'mappings[0].fields[0].path', mapping: 0, field: 0, property: 'path' })
    expect(problems[1].message).toMatch(/^is not valid jq: .*syntax error/s)
  })

  it('reports several mistakes together', async () => {
    let caught: unknown
    try {
      await compileEndpoint(
        { endpointKey: 'bad key!', extra: 1, mappings: [{ ...ok, active: 'yes', match: '.a ==' }] },
        'f.json'
      )
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(EndpointFileError)
    const error = caught as EndpointFileError
    expect(error.problems).toHaveLength(4)
    expect(error.message).toMatch(/^Endpoint file f\.json has 4 problems:/)
  })

  it('gives line and column for malformed JSON', async () => {
    const dir = tempDir('endpoint-')
    const path = join(dir, 'bad.json')
    writeFileSync(path, '{\n  "endpointKey": "k",\n}')
    await expect(loadEndpointFile(path)).rejects.toThrow(/is not valid JSON: .*\(line 3, column 1\)/)
  })

  // src bug: Node 20's JSON.parse says "Unexpected token ..." with no "position N" for a stray token, so no line/column.
  it('gives line and column for a stray token or a cut-short literal, where Node names no position', async () => {
    const dir = tempDir('endpoint-')
    const path = join(dir, 'bad.json')
    writeFileSync(path, '{\n  "endpointKey": "k",\n  "mappings": [,]\n}')
    await expect(loadEndpointFile(path)).rejects.toThrow(/\(line 3, column 16\)/)
    writeFileSync(path, '{\n "a": tru\n}')
    await expect(loadEndpointFile(path)).rejects.toThrow(/\(line 2, column \d+\)/)
  })

  it('says a missing file does not exist', async () => {
    const path = join(tmpdir(), 'no-such-endpoint-file.json')
    await expect(loadEndpointFile(path)).rejects.toMatchObject({
      source: path,
      problems: [{ where: '(file)', message: expect.stringMatching(/^does not exist/) }]
    })
  })
})
