// `npm run build`, after tsc: the studio's page (plain HTML, CSS and browser modules, which tsc does not
// copy) goes beside the compiled server, so dist/ runs on its own.
const { cpSync, rmSync } = require('fs')
const { join } = require('path')

const from = join(__dirname, '..', 'src', 'studio', 'static')
const to = join(__dirname, '..', 'dist', 'studio', 'static')
rmSync(to, { recursive: true, force: true })
cpSync(from, to, { recursive: true })
