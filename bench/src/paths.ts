/**
 * Where the benchmark finds the project and keeps its files. From the project's root as src/io/projectFiles
 * finds it, never by counting `..` from here: the compiled benchmark runs from bench/out/bench/src/.
 */
import path from 'path'
import { PROJECT_ROOT } from '../../src/io/projectFiles'

export const ROOT = PROJECT_ROOT
/** The benchmark's scratch folder (gitignored): its build, the JSON Lines file, journals, profiles. */
export const OUT_DIR = path.join(ROOT, 'bench', 'out')
/** The command users run, as `npm run build` makes it. */
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.js')
/** The full run's figures, which bench/README.md quotes. */
export const DEFAULT_RESULTS_FILE = path.join(ROOT, 'bench', 'results.json')
