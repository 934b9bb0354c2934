import {
  closeJqEngine,
  compileEndpoint,
  DEFAULT_ENDPOINT_FILE,
  ISO_TO_UNIX_MS,
  loadEndpointFile
} from '../../src/endpointModel'
import { endpointProgram, expressionsProgram } from '../../src/endpointModel/endpointProgram'
import { checkJqExpression, runJqProgram } from '../../src/endpointModel/jq/engine'
import { oldCompileError, oldRunJq } from './oldJqPath'
import { EDGE_TEXTS, exampleTexts, MODEL_TEST_EVENTS } from './testEvents'

/**
 * The engine against today's path (jq-web's raw(), one main() over all the inputs, on the main thread), with
 * the same program text: for every event, jq's output must be byte for byte the same.
 */

const MODEL_TEXTS = MODEL_TEST_EVENTS.map((event) => JSON.stringify(event))

/** A mapping that exercises much of jq: strings, regexes, dates, paths, errors, formats, $__loc__. */
const FEATURES = {
  endpointKey: 'features',
  mappings: [
    {
      name: 'Features',
      schema: 'Custom',
      match: 'type == "object" and ((.type // "") | tostring | test("^[tip]"))',
      fields: [
        ['Lower', '.event | ascii_downcase?'],
        ['Keys', 'keys_unsorted? // []'],
        ['Sum', '[.properties.products[]?.price // 0] | add'],
        ['Json', 'tojson | length'],
        ['Base64', '(.userId // "") | tostring | @base64'],
        ['Words', '(.event // "") | tostring | split(" ")'],
        ['Paths', '[paths] | length'],
        ['Boom', 'error("boom")'],
        ['Vowels', '(.event // "") | tostring | gsub("[aeiou]"; "_")'],
        ['Date', '.timestamp | try fromdateiso8601 catch "bad"'],
        ['Text', '.properties.price? | tostring?'],
        ['Numbers', '[.properties[]? | numbers] | map(. * 2, floor, tostring)'],
        ['Codepoints', '[.. | strings] | map(explode | length) | add'],
        ['Where', '$__loc__'],
        ['Line', 'input_line_number']
      ].map(([name, path]) => ({ name, path, type: 'any' }))
    }
  ]
}

afterAll(() => closeJqEngine())

async function expectSameOutputs(program: string, texts: string[]) {
  const answers = await runJqProgram(program, texts)
  const before = await oldRunJq(program, texts)
  expect(before).toHaveLength(texts.length)
  expect(answers.map((answer) => (answer.kind === 'outputs' ? answer.json : answer))).toEqual(
    before.map((line) => `[${line}]`)
  )
}

describe('the jq engine against jq-web run as before', () => {
  it('gives the same output for every example event with the default endpoint file, in a batch and one by one', async () => {
    const { program } = await loadEndpointFile(DEFAULT_ENDPOINT_FILE)
    const texts = exampleTexts()
    await expectSameOutputs(program, texts)
    for (const text of texts) await expectSameOutputs(program, [text])
  })

  it("gives the same output for the endpoint model's own test events", async () => {
    const { program } = await loadEndpointFile(DEFAULT_ENDPOINT_FILE)
    await expectSameOutputs(program, MODEL_TEXTS)
  })

  it('gives the same output for edge events: unicode, odd numbers, nulls, 1,000 products, non-objects', async () => {
    const { program } = await loadEndpointFile(DEFAULT_ENDPOINT_FILE)
    await expectSameOutputs(program, EDGE_TEXTS)
    for (const text of EDGE_TEXTS) await expectSameOutputs(program, [text])
  })

  it('gives the same output for a mapping that uses much of jq, on every event', async () => {
    const { spec } = await compileEndpoint(FEATURES)
    await expectSameOutputs(endpointProgram(spec), [...exampleTexts(), ...MODEL_TEXTS, ...EDGE_TEXTS])
  })

  it('gives the same output for the conversion candidates', async () => {
    const paths = ['.timestamp', `.timestamp | ${ISO_TO_UNIX_MS}`, '.properties.price | tonumber', '[.userId]']
    await expectSameOutputs(expressionsProgram(paths), [...exampleTexts(), ...MODEL_TEXTS, ...EDGE_TEXTS])
  })

  it('gives the same compile verdicts and messages', async () => {
    const expressions = [
      '.type == "identify"',
      '.type ==',
      '.a |||',
      'foo(',
      '.a | nosuch',
      '$undefined',
      '"unterminated',
      '.a # a comment',
      'def f: 1; f',
      '.[',
      'if . then 1',
      '.a as [$x] | $x',
      '"\\(1 +)"',
      '@nosuchformat "x"',
      '.a\n|\n.b ==',
      ISO_TO_UNIX_MS
    ]
    for (const expression of expressions) {
      const verdict = await checkJqExpression(expression)
      const before = await oldCompileError(expression)
      expect(verdict.kind === 'compile-error' ? verdict.message : verdict.kind).toBe(before ?? 'compiles')
    }
  })
})
