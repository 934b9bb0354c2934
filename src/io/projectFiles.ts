import { existsSync } from 'fs'
import { dirname, join } from 'path'

/**
 * The folder of this project's package.json, found from wherever the code runs: `src/` under ts-jest, `dist/`
 * once built, a copy compiled elsewhere (the benchmark), or an installed package. The files the project
 * ships beside its code (the examples, the default endpoint file) are found from here, never by counting `..`.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'examples'))) return dir
    if (dirname(dir) === dir) throw new Error(`No project folder (package.json with examples/) above ${from}.`)
  }
}

export const PROJECT_ROOT = findProjectRoot(__dirname)

/** The bundled examples: example events and the default endpoint file. */
export const EXAMPLES_DIR = join(PROJECT_ROOT, 'examples')
