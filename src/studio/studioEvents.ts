import { resolve } from 'path'
import type { InputItem } from '../events/items'
import { parsePaste, PasteError } from '../events/pasteParser'
import { readEvents } from '../events/readEvents'
import type { SegmentSide } from '../preview/previewer'
import type { StudioSuite, SuiteSpot } from './expectations'
import { StudioError } from './studioError'

/**
 * The studio's list of events: loaded from files, pasted or dropped, removed; each with an id the page names it
 * by, and a version bumped on every change, so that a kept check is never used for another set of events.
 */

export interface StudioEvent {
  id: number
  item: InputItem
  /** Its Segment side, once computed (segmentSides.ts). */
  side?: SegmentSide
  /** Its place in a sample file, when it was loaded from one (or saved into one): its expectation's place. */
  spot?: SuiteSpot
}

export class StudioEvents {
  private events: StudioEvent[] = []
  private nextId = 1
  private pastes = 0
  private changes = 0
  /** The files events were loaded from (with their expected files, never a place to save event mappings). */
  private readonly files: string[] = []

  constructor(private readonly suite: StudioSuite) {}

  /** Bumped on every change to the list. */
  get version(): number {
    return this.changes
  }

  /** The files events were loaded from, and the sample files of the suite. */
  loadedFiles(): string[] {
    return [...this.files, ...this.suite.samples.keys()]
  }

  list(): StudioEvent[] {
    return this.events
  }

  private add(items: InputItem[], spots: (SuiteSpot | undefined)[] = []): StudioEvent[] {
    const added = items.map((item, i) => ({ id: this.nextId++, item, ...(spots[i] ? { spot: spots[i] } : {}) }))
    this.events.push(...added)
    this.changes++
    return added
  }

  async addFile(path: string): Promise<StudioEvent[]> {
    const items: InputItem[] = []
    this.files.push(resolve(path))
    for await (const item of readEvents(path, 'auto', undefined, { unsafeIntegers: true })) items.push(item)
    // Its expected file is read with it: a SuiteError, as movable-ink test gives, when that is not the format.
    return this.add(items, this.suite.load(path, items))
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
    this.changes++
  }

  /** Every event; returns how many there were. */
  clear(): number {
    const count = this.events.length
    this.events = []
    this.changes++
    return count
  }

  find(id: number): StudioEvent {
    const found = this.events.find((e) => e.id === id)
    if (!found) throw new StudioError(404, `There is no event ${id}: reload the page.`)
    return found
  }

  /** A pasted event saved into a sample file is that file's event from now on. */
  moveToFile(moved: { id: number; spot: SuiteSpot; source: string; line: number }): void {
    const e = this.events.find((x) => x.id === moved.id)
    if (!e) return
    e.spot = moved.spot
    e.item = { ...e.item, source: moved.source, line: moved.line }
    if (e.side) e.side = { ...e.side, item: { ...e.side.item, source: moved.source, line: moved.line } }
  }
}
