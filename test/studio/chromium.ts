import { execFileSync } from 'child_process'
import { existsSync, readFileSync } from 'fs'
import { join } from 'path'
import { ROOT } from './helpers'

/**
 * Which Chromium the browser test drives: the machine's own when one is installed (Debian's, at
 * /usr/bin/chromium), else the one inside the @sparticuz/chromium devDependency, which npm installs with the
 * rest (a build shipped in the package, decompressed on first use; nothing is downloaded). So `npm test` passes
 * on a fresh machine with only Node.
 *
 * STUDIO_SYSTEM_CHROMIUM names the system browser to look for; point it at a missing path to prove the test
 * passes without one (`STUDIO_SYSTEM_CHROMIUM=/nonexistent npx jest test/studio/browser.test.ts`).
 */

export const SYSTEM_CHROMIUM = process.env.STUDIO_SYSTEM_CHROMIUM || '/usr/bin/chromium'

export interface Browser {
  executablePath: string
  /** For the test's name: which browser it ran in. */
  name: string
}

/** The package is an ES module, which jest's CommonJS loader cannot import: a short Node run asks it. */
function packagedChromium(): Browser {
  const script = "import c from '@sparticuz/chromium'; process.stdout.write(await c.executablePath())"
  const executablePath = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000
  }).trim()
  const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules/@sparticuz/chromium/package.json'), 'utf8'))
  return { executablePath, name: `the Chromium of @sparticuz/chromium ${version}` }
}

export function findChromium(): Browser {
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, name: `the system's ${SYSTEM_CHROMIUM}` }
  return packagedChromium()
}
