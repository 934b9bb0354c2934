// `npm run build` (and the end-to-end tests' build, test/cli/helpers.ts): dist/ from nothing, so that no
// compiled file of a source that was moved or removed stays behind (a stale dist/endpointModel/jq.js would be
// found before dist/endpointModel/jq/index.js); then tsc; then the studio's page (plain HTML, CSS and browser
// modules, which tsc does not copy) beside the compiled server, so dist/ runs on its own.
const { execFileSync } = require('child_process')
const { cpSync, rmSync } = require('fs')
const { join } = require('path')

const root = join(__dirname, '..')
rmSync(join(root, 'dist'), { recursive: true, force: true })
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  cwd: root,
  stdio: 'inherit'
})
// Its tsconfig.json only type-checks the page against the server's types (npm test): it is no part of the page.
cpSync(join(root, 'src', 'studio', 'static'), join(root, 'dist', 'studio', 'static'), {
  recursive: true,
  filter: (source) => !source.endsWith('tsconfig.json')
})
