// `npm test`: the type check, the format check and the lint, and jest (with the arguments given to `npm test --`),
// all at once. Run one after the other, the checks kept both cores busy for about 40 s before jest started, while
// jest leaves a core idle whenever a file waits for a timer or a server: side by side, the checks fill those gaps.
// jest's output goes straight to the terminal; a check's is printed when it ends. The first check to fail stops
// jest (its whole process group: its workers and the commands they started), so a type error is reported as soon
// as it is found, as it was when the checks ran first. The exit status is the first failure's, or jest's.
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

const statusOf = (code, signal) => code ?? 128 + (constants.signals[signal] ?? 0)

/** Runs one check, its output kept until it ends. */
function runCheck(name, file, args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    const output = []
    child.stdout.on('data', (chunk) => output.push(chunk))
    child.stderr.on('data', (chunk) => output.push(chunk))
    child.on('error', (error) => resolve({ name, code: 1, output: `${error.message}\n` }))
    child.on('close', (code, signal) =>
      resolve({ name, code: statusOf(code, signal), signal, output: Buffer.concat(output) })
    )
  })
}

/**
 * Starts jest in a process group of its own, so that stopping it reaches its workers and what they started; a
 * signal that reaches this script (Ctrl-C reaches the terminal's group, which jest is no longer in) is passed on.
 */
function startJest(args) {
  const child = spawn(process.execPath, [bin('jest', 'bin/jest'), ...args], {
    cwd: ROOT,
    stdio: 'inherit',
    detached: true
  })
  /** Whether there was still a group to signal. */
  const stop = (signal) => {
    try {
      process.kill(-child.pid, signal)
      return true
    } catch {
      return false
    }
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal))
  const ended = new Promise((resolve) => child.on('close', (code, signal) => resolve(statusOf(code, signal))))
  return { ended, stop }
}

async function main() {
  const jest = startJest(process.argv.slice(2))
  let failed
  const checks = CHECKS.map(([name, file, args]) =>
    runCheck(name, file, args).then((result) => {
      process.stdout.write(result.output)
      if (result.code === 0 || failed) return
      failed = result
      const stopped = jest.stop('SIGTERM') ? '; jest stopped' : ''
      console.error(`npm test: the ${result.name} failed (${result.signal ?? `exit status ${result.code}`})${stopped}.`)
    })
  )
  const [jestCode] = await Promise.all([jest.ended, ...checks])
  return failed ? failed.code : jestCode
}

main().then((code) => process.exit(code))
