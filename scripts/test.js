// `npm test`: the type check, the format check and the lint side by side (each alone uses one core, and the
// three take about 50 s of CPU), each one's output printed when it ends; then, if all three passed, jest with
// the arguments given to `npm test --`. The exit status is the first failure's, or jest's.
const { spawn } = require('child_process')
const { constants } = require('os')
const { join } = require('path')

const ROOT = join(__dirname, '..')
const bin = (pkg, file) => require.resolve(`${pkg}/${file}`, { paths: [ROOT] })

const CHECKS = [
  ...scriptArgs('typecheck', 'tsc').map((args, i) => [
    i === 0 ? 'type check' : 'page type check',
    bin('typescript', 'bin/tsc'),
    args
  ]),
  ...scriptArgs('format:check', 'prettier').map((args) => ['format check', bin('prettier', 'bin-prettier.js'), args]),
  ...scriptArgs('lint', 'eslint').map((args) => ['lint', bin('eslint', 'bin/eslint.js'), [...args, '--quiet']])
]

/**
 * The arguments of each command of a package.json script (`a && b` is two), so that each is written once there;
 * every command must be `command` itself.
 */
function scriptArgs(name, command) {
  const script = require(join(ROOT, 'package.json')).scripts[name]
  return script.split(' && ').map((part) => {
    if (!part.startsWith(`${command} `))
      throw new Error(`package.json's ${name} runs something other than ${command}: ${part}`)
    return (part.slice(command.length + 1).match(/"[^"]*"|\S+/g) ?? []).map((arg) => arg.replace(/^"(.*)"$/, '$1'))
  })
}

function run(name, file, args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    const output = []
    child.stdout.on('data', (chunk) => output.push(chunk))
    child.stderr.on('data', (chunk) => output.push(chunk))
    child.on('error', (error) => resolve({ name, code: 1, output: `${error.message}\n` }))
    child.on('close', (code, signal) =>
      resolve({ name, code: code ?? 128 + (constants.signals[signal] ?? 0), signal, output: Buffer.concat(output) })
    )
  })
}

async function main() {
  const results = await Promise.all(CHECKS.map(([name, file, args]) => run(name, file, args)))
  for (const { name, code, signal, output } of results) {
    process.stdout.write(output)
    if (code !== 0) console.error(`npm test: the ${name} failed (${signal ?? `exit status ${code}`}).`)
  }
  const failed = results.find((result) => result.code !== 0)
  if (failed) return failed.code
  const jest = await new Promise((resolve) => {
    const child = spawn(process.execPath, [bin('jest', 'bin/jest'), ...process.argv.slice(2)], {
      cwd: ROOT,
      stdio: 'inherit'
    })
    child.on('close', (code, signal) => resolve(code ?? 128 + (constants.signals[signal] ?? 0)))
  })
  return jest
}

main().then((code) => process.exit(code))
