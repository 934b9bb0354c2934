/**
 * Summarizes a V8 .cpuprofile (from `npm run bench -- --profile`, written to bench/out/profiles/): where the
 * contender's CPU time went, by owner (our dist/ code, actions-core, node-fetch, Node's http, GC, idle) and by
 * function, self and inclusive.
 *
 * Usage: node bench/out/bench/src/profile.js bench/out/profiles/project.cpuprofile [--top 30] [--events N]
 *   --events N   also print microseconds per event (N = events the process handled while profiled)
 */
import { readFileSync } from 'fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

/** Who a stack frame belongs to. */
export function ownerOf(rawUrl: string, functionName: string): string {
  const url = rawUrl.replace(/^file:\/\//, '')
  if (functionName === '(garbage collector)') return 'GC'
  if (functionName === '(idle)') return 'idle'
  if (functionName === '(program)') return 'program (V8/native)'
  if (url.includes('/dist/destinations/movable-ink/')) return 'ours: dist/destinations/movable-ink'
  if (url.includes('/dist/cli/')) return 'ours: dist/cli'
  if (url.includes('/@segment/action-destinations/')) return 'reference: @segment/action-destinations'
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/)
  if (nm) {
    if (nm[1] === '@segment/actions-core') {
      const sub = nm[2].match(/dist\/cjs\/([^/]+(?:\/[^/]+)?)/)
      const part = sub ? sub[1].replace(/\.js$/, '') : nm[2]
      return `actions-core: ${part.startsWith('mapping-kit') ? 'mapping-kit' : part}`
    }
    return nm[1]
  }
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/')[0]}`
  if (url.includes('/bench/out/')) return 'bench harness'
  if (url === '') return `native: ${functionName || '(anonymous)'}`
  return url
}

/** A function as the tables name it: its name, and its file (from its package or dist/ or bench/) and line. */
function frameKey({ functionName, url, lineNumber }: ProfileNode['callFrame']): string {
  const file = url.replace(/^.*node_modules\//, '').replace(/^.*\/(dist|bench)\//, '$1/')
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`
}

export function summarize(profile: Profile) {
  const byId = new Map<number, ProfileNode>()
  const parent = new Map<number, number>()
  for (const node of profile.nodes) {
    byId.set(node.id, node)
    for (const child of node.children ?? []) parent.set(child, node.id)
  }
  const selfByOwner = new Map<string, number>()
  const selfByFunction = new Map<string, number>()
  const inclusive = new Map<string, number>()
  let total = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0
    const node = byId.get(profile.samples[i])
    if (!node) continue
    total += dt
    const owner = ownerOf(node.callFrame.url, node.callFrame.functionName)
    selfByOwner.set(owner, (selfByOwner.get(owner) ?? 0) + dt)
    const key = frameKey(node.callFrame)
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + dt)
    const seen = new Set<string>()
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame
      if (!frame) break
      const k = frameKey(frame)
      if (seen.has(k)) continue
      seen.add(k)
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt)
    }
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1])
  return {
    totalUs: total,
    selfByOwner: sorted(selfByOwner),
    selfByFunction: sorted(selfByFunction),
    inclusive: sorted(inclusive)
  }
}

function main() {
  const file = process.argv[2]
  if (!file) throw new Error('usage: node bench/out/bench/src/profile.js FILE.cpuprofile [--top N] [--events N]')
  const arg = (name: string) => {
    const i = process.argv.indexOf(name)
    return i > 0 ? Number(process.argv[i + 1]) : undefined
  }
  const top = arg('--top') ?? 25
  const events = arg('--events')
  const s = summarize(JSON.parse(readFileSync(file, 'utf8')) as Profile)
  const busy = s.totalUs - (s.selfByOwner.find(([k]) => k === 'idle')?.[1] ?? 0)
  const fmt = (us: number) =>
    `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / busy).toFixed(1).padStart(5)}% of busy` +
    (events ? `  ${(us / events).toFixed(1).padStart(6)} µs/event` : '')
  console.log(`${file}: ${(s.totalUs / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy`)
  console.log('\nself time by owner:')
  for (const [k, v] of s.selfByOwner) console.log(`  ${fmt(v)}  ${k}`)
  console.log(`\nself time, top ${top} functions:`)
  for (const [k, v] of s.selfByFunction.slice(0, top)) console.log(`  ${fmt(v)}  ${k}`)
  console.log(`\ninclusive time, top ${top * 2} functions:`)
  for (const [k, v] of s.inclusive.slice(0, top * 2)) console.log(`  ${fmt(v)}  ${k}`)
}

if (require.main === module) main()
