// Where each part of the pipeline stops coping with nesting: the deepest event (levels of objects and arrays,
// the event object included) each one handles, found by bisection. The figures behind MAX_EVENT_NESTING
// (src/events/jsonNesting.ts; docs/destination.md#nesting). After `npm run build`:
//   node scripts/measure-nesting.js            in the main thread (send --workers 0, --batch, preview, studio)
//   node scripts/measure-nesting.js --worker   in a worker thread (send's delivery threads, a larger stack)
// The JavaScript figures move a little with the stack a caller has already used; jq's do not.
const { isMainThread, parentPort, Worker } = require('worker_threads')
const { join } = require('path')
const { Destination, transform } = require('@segment/actions-core')

const dist = join(__dirname, '..', 'dist')
const definition = require(join(dist, 'destinations', 'movable-ink')).default
const { DEFAULT_ENDPOINT_FILE, evaluateEvents, loadEndpointFile } = require(join(dist, 'endpointModel'))

/** An event `depth` levels deep: the event, its properties, then arrays (or objects) down to the depth. */
function eventText(depth, objects = false) {
  const levels = depth - 2
  const nested = objects ? '{"a":'.repeat(levels) + '1' + '}'.repeat(levels) : '['.repeat(levels) + ']'.repeat(levels)
  return `{"type":"track","event":"Product Viewed","userId":"u","timestamp":"2026-01-01T00:00:00.000Z","properties":{"x":${nested}}}`
}
const event = (depth, objects) => JSON.parse(eventText(depth, objects))

/** The largest depth from `low` to `high` for which `works` holds (resolves true, and throws nothing). */
async function deepest(works, low = 3, high = 300000) {
  const ok = async (depth) => {
    try {
      return (await works(depth)) !== false
    } catch {
      return false
    }
  }
  if (!(await ok(low))) return `fails at ${low}`
  if (await ok(high)) return `${high} or more`
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2)
    if (await ok(middle)) low = middle
    else high = middle
  }
  return low
}

const subscription = {
  subscribe: 'type = "track"',
  partnerAction: 'sendEntireEvent',
  mapping: { data: { '@path': '$.' } }
}
const settings = { movable_ink_url: 'http://127.0.0.1:9/behavioral/x', username: 'u', password: 'p', subscription }
const batchSettings = {
  ...settings,
  subscription: { ...subscription, mapping: { ...subscription.mapping, enable_batching: true, batch_size: 10 } }
}
const overflowed = (text) => /Maximum call stack size exceeded/.test(text)

async function measure() {
  const endpoint = await loadEndpointFile(DEFAULT_ENDPOINT_FILE)
  const jqParses = (objects) => async (depth) => {
    const [evaluation] = await evaluateEvents(endpoint, [event(depth, objects)])
    return !evaluation.problems.some((p) => /Exceeds depth limit for parsing/.test(p.message))
  }
  // The runtime reports most failures as errors of the event: only a stack overflow counts here.
  const runtime = (call) => async (depth) => {
    try {
      return !overflowed(JSON.stringify((await call(depth)) ?? null))
    } catch (error) {
      return !overflowed(String(error && error.message))
    }
  }
  return {
    'JSON.parse': await deepest((depth) => JSON.parse(eventText(depth))),
    'JSON.stringify': await deepest((depth) => JSON.stringify(event(depth))),
    'structuredClone (a worker postMessage)': await deepest((depth) => structuredClone(event(depth))),
    'mapping-kit transform {"@path": "$."}': await deepest((depth) =>
      transform({ data: { '@path': '$.' } }, event(depth))
    ),
    'Destination.onEvent': await deepest(
      runtime((depth) => new Destination(definition).onEvent(event(depth), settings)),
      3,
      30000
    ),
    'Destination.onBatch': await deepest(
      runtime((depth) => new Destination(definition).onBatch([event(depth)], batchSettings)),
      3,
      30000
    ),
    'jq 1.7 (jq-web), nested arrays': await deepest(jqParses(false), 3, 3000),
    'jq 1.7 (jq-web), nested objects': await deepest(jqParses(true), 3, 3000)
  }
}

if (!isMainThread) void measure().then((rows) => parentPort.postMessage(rows))
else if (process.argv.includes('--worker')) new Worker(__filename).on('message', (rows) => console.table(rows))
else void measure().then((rows) => console.table(rows))
