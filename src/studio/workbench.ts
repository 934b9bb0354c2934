import { readFile, writeFile } from 'fs/promises'
import { compileEndpoint, EndpointFileError } from '../endpointModel'
import type { CompiledEndpoint } from '../endpointModel'
import type { InputItem } from '../events/items'
import { parsePaste, PasteError } from '../events/pasteParser'
import { verdictOf } from './verdict'
import type { Verdict } from './verdict'
import { readEvents } from '../events/readEvents'
import { restamped } from '../events/restamp'
import { createPreviewer } from '../preview/previewer'
import { summarizePreview } from '../preview/previewSummary'
import type { PreviewItem, PreviewSummary } from '../preview/previewTypes'
import { requireSettings } from '../runtime/settings'
import type { GivenSettings } from '../runtime/settings'
import { matcherFor } from '../runtime/subscriptions'
import type { SubscriptionSpec } from '../runtime/subscriptions'
import { deliverOne, deliverToStandIn } from './testSend'
import type { SendTarget, TestSendAnswer } from './testSend'

/**
 * What the studio holds between requests: the events, the endpoint file's path and the subscriptions. The event
 * mappings being edited live on the page, which sends them with each check, so an edit costs no save.
 */

export interface StudioEvent {
  id: number
  item: InputItem
}

export interface CheckedItem extends PreviewItem {
  id: number
  verdict: Verdict
}

export interface CheckResult {
  items: CheckedItem[]
  summary: PreviewSummary
  endpointWarnings: string[]
}

export interface WorkbenchOptions {
  endpointFile: string
  subscriptions: SubscriptionSpec[]
  /** For sending to a real endpoint; never shown on the page. */
  settings: GivenSettings
}

/** An answer the API gives as an error: an HTTP status and a message that names the problem. */
export class StudioError extends Error {
  readonly name = 'StudioError'
  constructor(readonly status: number, message: string, readonly details?: Record<string, unknown>) {
    super(message)
  }
}

export class Workbench {
  private events: StudioEvent[] = []
  private nextId = 1
  private pastes = 0

  constructor(readonly options: WorkbenchOptions) {}

  list(): StudioEvent[] {
    return this.events
  }

  private add(items: InputItem[]): StudioEvent[] {
    const added = items.map((item) => ({ id: this.nextId++, item }))
    this.events.push(...added)
    return added
  }

  async addFile(path: string): Promise<StudioEvent[]> {
    const items: InputItem[] = []
    for await (const item of readEvents(path, 'auto', undefined, { unsafeIntegers: true })) items.push(item)
    return this.add(items)
  }

  /** A paste or a dropped file; refused as a whole when not one event can be read from it. */
  addText(text: string, name?: string): StudioEvent[] {
    const source = name ?? `paste ${++this.pastes}`
    let items: InputItem[]
    try {
      items = parsePaste(text, source)
    } catch (error) {
      if (error instanceof PasteError) throw new StudioError(error.status, error.message)
      throw error
    }
    // Events refused for what they are (nested too deep) are kept, to be listed as refused with the reason.
    const firstBad = items.find((i) => i.kind === 'malformed')
    if (!items.some((i) => i.kind === 'event' || i.refused) && firstBad?.kind === 'malformed')
      throw new StudioError(400, `No event in ${source}: line ${firstBad.line} is ${firstBad.reason}.`)
    return this.add(items)
  }

  remove(id: number): void {
    const before = this.events.length
    this.events = this.events.filter((e) => e.id !== id)
    if (this.events.length === before) throw new StudioError(404, `There is no event ${id}: reload the page.`)
  }

  find(id: number): StudioEvent {
    const found = this.events.find((e) => e.id === id)
    if (!found) throw new StudioError(404, `There is no event ${id}: reload the page.`)
    return found
  }

  async readEndpoint(): Promise<unknown> {
    return JSON.parse(await readFile(this.options.endpointFile, 'utf8'))
  }

  /** The event mappings as edited: compiled, or a 422 whose details list every problem with where it is. */
  async compile(spec: unknown): Promise<CompiledEndpoint> {
    try {
      return await compileEndpoint(spec, this.options.endpointFile)
    } catch (error) {
      if (!(error instanceof EndpointFileError)) throw error
      throw new StudioError(422, error.message, { problems: error.problems })
    }
  }

  async saveEndpoint(spec: unknown): Promise<void> {
    await this.compile(spec)
    await writeFile(this.options.endpointFile, JSON.stringify(spec, null, 2) + '\n')
  }

  /** Every event through preview, as `preview --json` shows it, against the event mappings given. */
  async check(spec: unknown): Promise<CheckResult> {
    const endpoint = await this.compile(spec)
    // No settings: the page shows the request with a placeholder URL, never the configured one.
    const previewer = await createPreviewer({ settings: {}, subscriptions: this.options.subscriptions, endpoint })
    let items: CheckedItem[]
    try {
      // One call: the Movable Ink side of all events is then one jq run, which keeps a re-check per edit quick.
      const events = this.events // an edit of the list while this runs does not shift the ids
      const previewed = await previewer.previewEvents(events.map((e) => e.item))
      items = previewed.map((item, i) => ({ id: events[i].id, ...item, verdict: verdictOf(item) }))
    } finally {
      await previewer.close()
    }
    return { items, summary: summarizePreview(items), endpointWarnings: endpoint.warnings }
  }

  /** Whether sending to a real endpoint is possible, without saying where (the page never shows settings). */
  configuredTarget(): { configured: boolean; problem?: string } {
    try {
      requireSettings(this.options.settings)
      return { configured: true }
    } catch (error) {
      return { configured: false, problem: (error as Error).message }
    }
  }

  /** `restamp`: as if it happened now, since Movable Ink refuses events older than 30 days (the examples are). */
  async send(id: number, target: SendTarget, spec: unknown, restamp = false): Promise<TestSendAnswer> {
    const found = this.find(id)
    if (found.item.kind !== 'event')
      throw new StudioError(
        400,
        found.item.refused
          ? `Event ${id} cannot be sent: it is ${found.item.reason}`
          : `Event ${id} is not valid JSON: fix it and paste again.`
      )
    const event = restamp ? restamped(found.item.event, new Date().toISOString()) : found.item.event
    const subscriptions = this.options.subscriptions
    const subscription = subscriptions.find((s) => matcherFor(s.subscribe)(event)) ?? subscriptions[0]
    if (target === 'stand-in') return deliverToStandIn(event, subscription, await this.compile(spec))
    const configured = this.configuredTarget()
    if (!configured.configured) throw new StudioError(400, `Cannot send to Movable Ink: ${configured.problem}`)
    const settings = requireSettings(this.options.settings)
    const answer = await deliverOne(event, subscription, settings, target)
    // A network error can quote the address; the page shows neither it nor the credentials.
    const hide = (text: string) =>
      text
        .split(settings.movable_ink_url)
        .join('<the configured URL>')
        .split(new URL(settings.movable_ink_url).host)
        .join('<its host>')
    return {
      ...answer,
      url: 'the configured Movable Ink URL',
      message: hide(answer.message),
      body: answer.body === undefined ? undefined : hide(answer.body)
    }
  }
}
