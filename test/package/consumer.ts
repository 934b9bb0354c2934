import { execFileSync } from 'child_process'
import { createHash } from 'crypto'
import { delimiter, join } from 'path'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs'
import { ROOT } from '../cli/helpers'

/**
 * The package as a user gets it: `npm pack`, then an install of the tarball into a new project (the "consumer")
 * in a temporary folder, which cannot reach this checkout's node_modules.
 *
 * Offline, as every test is: the consumer's package-lock.json lists the tarball and every package the tarball
 * needs at run time, with the version and integrity of this project's npm-shrinkwrap.json and its registry
 * URL, so `npm ci --offline` takes each from the npm cache that this project's own `npm ci` filled (by
 * integrity) and asks no registry for anything. A plain `npm install <tarball>` cannot run offline: it asks
 * the registry for each dependency's metadata (ENOTCACHED with `--offline`), and it ignores the shrinkwrap
 * inside a tarball (npm/cli#5325); what a user gets that way is checked by hand (docs/contributing.md).
 */

interface LockEntry {
  version: string
  integrity?: string
  resolved?: string
  name?: string
  dev?: boolean
  devOptional?: boolean
  [key: string]: unknown
}

/** The environment for npm and the installed command: nothing of this checkout on PATH, no npm_* of a parent npm. */
export function consumerEnv(binFolder?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env))
    if (!/^npm_/i.test(key) && !/^MOVABLE_INK_/.test(key) && key !== 'NODE_PATH') env[key] = value
  const path = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir && !dir.startsWith(ROOT))
  env.PATH = [...(binFolder ? [binFolder] : []), ...path].join(delimiter)
  return env
}

/** The file list `npm pack --json` reports, and the tarball it wrote into `folder`. */
export function pack(folder: string): { tarball: string; files: string[]; size: number } {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', folder], {
    cwd: ROOT,
    env: consumerEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const [report] = JSON.parse(out) as { filename: string; size: number; files: { path: string }[] }[]
  return { tarball: join(folder, report.filename), files: report.files.map((f) => f.path), size: report.size }
}

function registryUrl(name: string, version: string): string {
  return `https://registry.npmjs.org/${name}/-/${name.split('/').pop() ?? name}-${version}.tgz`
}

/** The consumer's lock: the tarball, and the run-time packages of npm-shrinkwrap.json at the same places. */
function consumerLock(tarballName: string, integrity: string): unknown {
  const shrinkwrap = JSON.parse(readFileSync(join(ROOT, 'npm-shrinkwrap.json'), 'utf8')) as {
    packages: Record<string, LockEntry>
  }
  const own = shrinkwrap.packages['']
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: { [String(own.name)]: `file:${tarballName}` } },
    [`node_modules/${String(own.name)}`]: {
      version: own.version,
      resolved: `file:${tarballName}`,
      integrity,
      dependencies: own.dependencies,
      bin: own.bin,
      engines: own.engines
    }
  }
  for (const [place, entry] of Object.entries(shrinkwrap.packages)) {
    if (!place || entry.dev || entry.devOptional) continue
    const name = entry.name ?? place.slice(place.lastIndexOf('node_modules/') + 'node_modules/'.length)
    packages[place] = { ...entry, resolved: registryUrl(name, entry.version) }
  }
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages }
}

/** Installs `tarball` into a new project at `folder` with `npm ci --offline`; returns its bin folder. */
export function installConsumer(folder: string, tarball: string): string {
  mkdirSync(folder, { recursive: true })
  const name = 'package.tgz'
  const bytes = readFileSync(tarball)
  writeFileSync(join(folder, name), bytes)
  const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`
  const lock = consumerLock(name, integrity) as { packages: Record<string, { dependencies: unknown }> }
  const manifest = { name: 'consumer', private: true, dependencies: lock.packages[''].dependencies }
  writeFileSync(join(folder, 'package.json'), JSON.stringify(manifest, null, 2))
  writeFileSync(join(folder, 'package-lock.json'), JSON.stringify(lock, null, 2))
  try {
    execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], {
      cwd: folder,
      env: consumerEnv(),
      stdio: ['ignore', 'pipe', 'pipe']
    })
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '')
    throw new Error(
      `npm ci --offline of the packed tarball failed (run this project's npm ci first: it fills the npm cache).\n${stderr}`
    )
  }
  return join(folder, 'node_modules', '.bin')
}

/** The versions of every copy of `name` installed anywhere under `folder`'s node_modules. */
export function installedVersions(folder: string, name: string): string[] {
  const versions: string[] = []
  const walk = (modules: string) => {
    let entries: string[]
    try {
      entries = readdirSync(modules)
    } catch {
      return
    }
    for (const entry of entries) {
      const dirs = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((e) => join(entry, e)) : [entry]
      for (const dir of dirs) {
        if (dir === name)
          versions.push((JSON.parse(readFileSync(join(modules, dir, 'package.json'), 'utf8')) as LockEntry).version)
        walk(join(modules, dir, 'node_modules'))
      }
    }
  }
  walk(join(folder, 'node_modules'))
  return versions
}
