/**
 * This project's destination as users get it: the build in dist/, not the copy of src/ compiled into
 * bench/out/. Typed by its source, so that a rename or a changed export in src/destinations/movable-ink fails
 * `tsc` here rather than the benchmark at run time; test/bench checks that the source folder is still there.
 */
import path from 'path'
import type projectDestination from '../../src/destinations/movable-ink'
import { ROOT } from './paths'

/** The destination's folder, the same under src/ (its source) and dist/ (its build). */
const DESTINATION_FOLDER = path.join('destinations', 'movable-ink')
export const DESTINATION_SOURCE_DIR = path.join(ROOT, 'src', DESTINATION_FOLDER)
export const BUILT_DESTINATION_DIR = path.join(ROOT, 'dist', DESTINATION_FOLDER)

export type DestinationDefinition = typeof projectDestination

export async function loadBuiltDestination(): Promise<DestinationDefinition> {
  const built = (await import(BUILT_DESTINATION_DIR)) as { default: DestinationDefinition }
  return built.default
}
