import { copyFileSync } from 'fs'
import { request } from 'http'
import { join, resolve } from 'path'
import { presetSubscriptions } from '../../src/runtime/subscriptions'
import type { SubscriptionSpec } from '../../src/runtime/subscriptions'
import { startStudio } from '../../src/studio/server'
import type { Studio } from '../../src/studio/server'
import { tempDir } from '../tempDir'

export const ROOT = resolve(__dirname, '..', '..')
export const EXAMPLE_ENDPOINT = join(ROOT, 'examples', 'movable-ink-endpoint.json')
/** Where the studio says each event of the example suite (examples/suite) came from, in order. */
export const EXAMPLE_SUITE_EVENTS = [
  'checkout.jsonl:1',
  'checkout.jsonl:2',
  'checkout.jsonl:3',
  'group.json:1',
  'identify.json:1',
  'signed-up-without-timestamp.json:1'
]

/** A track event the default mappings do not take ("Viewed Product" is not Segment's "Product Viewed"). */
export function viewedProduct(): Record<string, unknown> {
  return {
    type: 'track',
    event: 'Viewed Product',
    messageId: 'studio-test-0001',
    timestamp: new Date().toISOString(),
    userId: 'user-42',
    properties: { product_id: 'sku-42', name: 'Trail Runner 2', price: 89.99 }
  }
}

/**
 * A studio on a copy of the example endpoint file, working in a temporary folder (saving must not touch the
 * repository: pasted events saved as expected go to that folder by default).
 */
export async function startTestStudio(
  files: string[] = [],
  settings: { url?: string; username?: string; password?: string } = {},
  options: { subscriptions?: SubscriptionSpec[] } = {}
): Promise<{ studio: Studio; endpointFile: string; dir: string }> {
  const dir = tempDir('studio-test-')
  const endpointFile = join(dir, 'endpoint.json')
  copyFileSync(EXAMPLE_ENDPOINT, endpointFile)
  const subscriptions = options.subscriptions ?? presetSubscriptions()
  const studio = await startStudio({ files, endpointFile, subscriptions, settings, workDir: dir })
  return { studio, endpointFile, dir }
}

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any
}

/** A raw HTTP call, so tests can set Host and Origin as a foreign page or a rebinding attack would. */
export function call(
  studio: Studio,
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; headers?: Record<string, string>; token?: string | null } = {}
): Promise<Answer> {
  const headers: Record<string, string> = { host: `127.0.0.1:${studio.port}`, ...options.headers }
  const token = options.token === undefined ? studio.token : options.token
  if (token !== null) headers['x-studio-token'] = token
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
  if (payload !== undefined) headers['content-type'] = 'application/json'
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port: studio.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let json: unknown
        try {
          json = JSON.parse(text)
        } catch {
          json = undefined
        }
        done({ status: res.statusCode ?? 0, headers: res.headers, text, json })
      })
    })
    req.on('error', fail)
    req.end(payload)
  })
}

/**
 * "Save as expected" as the page does it: with the versions of the files the last check's states came from
 * (unless the body gives its own `versions`, or `overwrite`).
 */
export async function saveAsExpected(studio: Studio, body: Record<string, unknown>): Promise<Answer> {
  if (!('versions' in body) && !body.overwrite) {
    const check = await call(studio, 'POST', '/api/verdicts', { body: { endpoint: body.endpoint } })
    body = { ...body, versions: check.json?.suite?.versions ?? {} }
  }
  return call(studio, 'POST', '/api/expected', { body })
}
