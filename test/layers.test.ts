import { readFileSync } from 'fs'
import { join } from 'path'

/** The lint rule that keeps imports pointing down (LAYERS in .eslintrc.js) catches what it must. */

const ROOT = join(__dirname, '..')

interface LintResult {
  messages: { ruleId: string | null; message: string }[]
}
interface Linter {
  lintText(text: string, options: { filePath: string }): Promise<LintResult[]>
}

// ESLint ships no types of its own; only the layer overrides of the project's configuration are used here, so
// no type information (and no slow TypeScript program) is needed.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ESLint } = require('eslint') as { ESLint: new (options: Record<string, unknown>) => Linter }
// eslint-disable-next-line @typescript-eslint/no-var-requires
const config = require('../.eslintrc.js') as { overrides: { rules?: Record<string, unknown> }[] }
const layerOverrides = config.overrides.filter((o) => o.rules && 'no-restricted-imports' in o.rules)
const eslint = new ESLint({
  cwd: ROOT,
  useEslintrc: false,
  baseConfig: {
    root: true,
    parser: '@typescript-eslint/parser',
    parserOptions: { ecmaVersion: 2019, sourceType: 'module' },
    overrides: layerOverrides
  }
})

async function restrictedImports(file: string, prepended: string): Promise<string[]> {
  const text = prepended + '\n' + readFileSync(join(ROOT, file), 'utf8')
  const [result] = await eslint.lintText(text, { filePath: join(ROOT, file) })
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('imports point down', () => {
  it('has a layer rule for every folder of src/', () => {
    expect(layerOverrides.length).toBeGreaterThanOrEqual(11)
  })

  it('refuses an upward import', async () => {
    expect(await restrictedImports('src/events/items.ts', "import '../cli/main'")).toEqual([
      expect.stringContaining('src/events may import only io')
    ])
  })

  it('refuses a sideways import between folders of one level', async () => {
    expect(await restrictedImports('src/send/unit.ts', "import '../standIn/stats'")).toHaveLength(1)
    expect(await restrictedImports('src/studio/verdict.ts', "import '../demo/demo'")).toHaveLength(1)
  })

  it('lets the endpoint model be entered through its index only', async () => {
    expect(await restrictedImports('src/studio/verdict.ts', "import '../endpointModel/eventFacts'")).toHaveLength(1)
    expect(await restrictedImports('src/studio/verdict.ts', "import '../endpointModel'")).toHaveLength(0)
  })

  it('lets the rest of the endpoint model enter the jq engine through its index only', async () => {
    expect(await restrictedImports('src/endpointModel/evaluateEvent.ts', "import './jq/engine'")).toEqual([
      expect.stringContaining('src/endpointModel/jq through its index.ts only')
    ])
    expect(await restrictedImports('src/endpointModel/evaluateEvent.ts', "import './jq/thread/worker'")).toHaveLength(1)
    expect(await restrictedImports('src/endpointModel/evaluateEvent.ts', "import './jq'")).toHaveLength(0)
    expect(await restrictedImports('src/endpointModel/jq/engine.ts', "import './jobQueue'")).toHaveLength(0)
    expect(await restrictedImports('src/endpointModel/jq/thread/check.ts', "import '../protocol'")).toHaveLength(0)
  })

  it('keeps the destination folder to actions-core and itself', async () => {
    expect(
      await restrictedImports('src/destinations/movable-ink/limits.ts', "import '../../io/loopback'")
    ).toHaveLength(1)
  })

  it('keeps commander in the command line and jq in the endpoint model, and lets imports point down', async () => {
    expect(await restrictedImports('src/send/unit.ts', "import 'commander'")).toHaveLength(1)
    expect(await restrictedImports('src/studio/verdict.ts', "import 'jq-web'")).toHaveLength(1)
    expect(await restrictedImports('src/cli/options.ts', "import '../send/unit'")).toHaveLength(0)
    expect(await restrictedImports('src/preview/previewer.ts', "import '../runtime/outcome'")).toHaveLength(0)
  })
})
