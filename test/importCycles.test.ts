import { existsSync, readdirSync, readFileSync, statSync } from 'fs'
import { dirname, join, relative } from 'path'

/**
 * No two files of src/ or bench/src/ import each other, directly or round a longer circle (type-only imports too: a circle of
 * types is a circle of ideas). The lint rule keeps folders pointing down; this keeps files within a folder apart.
 */

const ROOT = join(__dirname, '..')
const IMPORT = /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\s+['"]([^'"]+)['"]|require\(['"]([^'"]+)['"]\)/g

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    if (statSync(path).isDirectory()) return name === '__tests__' ? [] : filesUnder(path)
    return /\.(ts|js)$/.test(name) ? [path] : []
  })
}

function resolved(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined
  const base = join(dirname(from), spec)
  return [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts')].find((c) => existsSync(c) && statSync(c).isFile())
}

function importGraph(files: string[]): Map<string, string[]> {
  return new Map(
    files.map((file) => {
      const specs = [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3])
      return [file, specs.flatMap((spec) => resolved(file, spec) ?? [])]
    })
  )
}

/** Every circle found by a depth-first walk, each as the files round it. */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (node: string) => {
    state.set(node, 'open')
    path.push(node)
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next])
      else if (!state.has(next)) visit(next)
    }
    path.pop()
    state.set(node, 'done')
  }
  for (const node of graph.keys()) if (!state.has(node)) visit(node)
  return found
}

describe('imports between files', () => {
  it('finds a circle when there is one', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']]
    ])
    expect(circles(graph)).toEqual([['a', 'b', 'c', 'a']])
  })

  it('has no circle in src/ or bench/src/', () => {
    const files = [...filesUnder(join(ROOT, 'src')), ...filesUnder(join(ROOT, 'bench', 'src'))]
    const found = circles(importGraph(files))
    expect(found.map((circle) => circle.map((f) => relative(ROOT, f)).join(' -> '))).toEqual([])
  })
})
