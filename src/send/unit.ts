import type { EventRecord } from '../events/items'

/** Where an item sits in the inputs: the journal's key (input and item), and the line for people. */
export interface Position {
  /** Index of the input among the files given. */
  input: number
  /** Index of the item (event or malformed line/element) within that input, from 0. */
  item: number
  source: string
  line: number
}

/** One event on its way to Movable Ink: where it came from, and its attempts so far. */
export interface Unit extends Position {
  event: EventRecord
  started: number
  attempts: number
  /** An attempt ended without knowing whether Movable Ink stored the event (a timeout, a dropped connection). */
  unknownOutcome: boolean
}
