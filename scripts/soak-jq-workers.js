// `npm run soak:jq [-- --runs N --rounds N --parallel N]`: many short lives of a process that uses the jq engine
// as the tests and the studio do, each in a child process, counting the children that die by a signal (a
// segmentation fault is SIGSEGV, exit status 139 in a shell). It needs the build (`npm run build`).
//
// Each child plays `--rounds` rounds: runaways stopped at deadlines of a few ms (Worker.terminate() while jq's
// WebAssembly runs), a program past a 32 MB memory cap, ordinary programs and a compile check, and every third
// round the whole engine closed at a random moment (spare workers terminated while they start). Then it ends
// with workers still alive, one of three ways: process.exit() while a runaway runs, a natural exit with idle
// workers (as jest's own process ends after "Ran all test suites."), or an engine loaded again and again in
// fresh module registries and never closed (as jest runs test files in band). Exit status 1 if any child died
// by a signal or failed; the command, the child's output and its signal are printed for each.
const { spawn } = require('child_process')
const { existsSync } = require('fs')
const { join } = require('path')

const ROOT = join(__dirname, '..')
const ENGINE = join(ROOT, 'dist', 'endpointModel', 'jq', 'index.js')
const ENDINGS = ['exit', 'natural', 'registries']

function option(argv, name, fallback) {
  const at = argv.indexOf(name)
  return at >= 0 ? Number(argv[at + 1]) : fallback
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** One round of work that starts and stops workers mid-job. */
async function churnRound(jq, i) {
  // With a spare worker started ahead, as the servers keep one (a closed engine starts without): more starts.
  jq.keepSpareJqWorker(true)
  const jobs = [
    jq.runJqProgram('def f: f; f', ['{}', '{}'], { deadlineMs: 1 + (i % 7) }),
    jq.runJqProgram('[range(1e8)] | length', ['{}'], { deadlineMs: 5 + (i % 11), memoryCapMb: 32 }),
    jq.runJqProgram(`.a + ${i}`, ['{"a":1}'], { deadlineMs: 5000 }),
    jq.checkJqExpression(`.a | ${i}`, { deadlineMs: 3 })
  ]
  await sleep(Math.random() * 40)
  if (i % 3 === 0) jq.closeJqEngine()
  await Promise.all(jobs)
}

/** The engine loaded in a fresh module registry, used and left open (jest's test files, in band). */
function freshEngine() {
  const dist = join(ROOT, 'dist')
  for (const key of Object.keys(require.cache)) if (key.startsWith(dist)) delete require.cache[key]
  return require(ENGINE)
}

async function child(rounds, ending) {
  let jq = require(ENGINE)
  for (let i = 0; i < rounds; i++) await churnRound(jq, i)
  if (ending === 'exit') {
    void jq.runJqProgram('def f: f; f', ['{}'], { deadlineMs: 5000 })
    await sleep(Math.random() * 100)
    process.exit(0)
  }
  if (ending === 'registries') {
    for (let i = 0; i < 8; i++) {
      jq = freshEngine()
      jq.keepSpareJqWorker(true)
      await Promise.all([jq.runJqProgram(`.a + ${i}`, ['{"a":1}']), jq.checkJqExpression(`.b | ${i}`)])
    }
  }
  // 'natural' and 'registries': the process ends by itself, its idle workers unref()ed, still alive.
}

/**
 * A child still running after this long hangs (one takes a few seconds): it is ended with SIGABRT, which makes
 * node print its report and, with `ulimit -c unlimited`, leave a core, and it counts as hung. One run of 200 once
 * stalled for good without one.
 */
const HUNG_AFTER_MS = 120_000

function runChild(rounds, ending) {
  return new Promise((resolve) => {
    const args = [__filename, '--child', ending, '--rounds', String(rounds)]
    const started = Date.now()
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    let hung = false
    const timer = setTimeout(() => {
      hung = true
      proc.kill('SIGABRT')
    }, HUNG_AFTER_MS)
    proc.stdout.on('data', (chunk) => (output += chunk))
    proc.stderr.on('data', (chunk) => (output += chunk))
    proc.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, hung, output, ending, ms: Date.now() - started })
    })
  })
}

async function parent(argv) {
  if (!existsSync(ENGINE)) throw new Error(`${ENGINE} is missing: run npm run build first`)
  const runs = option(argv, '--runs', 200)
  const rounds = option(argv, '--rounds', 10)
  const parallel = option(argv, '--parallel', 2)
  let next = 0
  const failures = []
  const byEnding = Object.fromEntries(ENDINGS.map((ending) => [ending, 0]))
  const lane = async () => {
    while (next < runs) {
      const ending = ENDINGS[next++ % ENDINGS.length]
      const result = await runChild(rounds, ending)
      byEnding[ending]++
      if (result.signal || result.code !== 0) {
        failures.push(result)
        const how = result.hung
          ? `hung, ended after ${HUNG_AFTER_MS / 1000} s with SIGABRT`
          : `ended with ${result.signal ?? `status ${result.code}`}`
        process.stdout.write(`child (${ending}) ${how}:\n${result.output}\n`)
      }
    }
  }
  const started = Date.now()
  await Promise.all(Array.from({ length: parallel }, lane))
  const counts = ENDINGS.map((ending) => `${byEnding[ending]} ${ending}`).join(', ')
  const seconds = ((Date.now() - started) / 1000).toFixed(0)
  process.stdout.write(
    `${runs} runs (${counts}; ${rounds} rounds each, ${parallel} at a time) in ${seconds} s: ` +
      `${failures.filter((f) => f.hung).length} hung, ${
        failures.filter((f) => f.signal && !f.hung).length
      } died by a signal, ${failures.filter((f) => !f.signal).length} failed\n`
  )
  if (failures.length > 0) process.exitCode = 1
}

const argv = process.argv.slice(2)
if (argv[0] === '--child') child(option(argv, '--rounds', 10), argv[1])
else
  parent(argv).catch((error) => {
    process.stderr.write(`${error.message}\n`)
    process.exitCode = 2
  })
