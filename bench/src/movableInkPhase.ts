/**
 * Movable Ink's side, after the contenders: what the jq engine costs per event, what evaluating every event
 * costs the stand-in (with the default event mappings against --no-endpoint), and the studio's re-check, edit
 * and selection with 1,000 events. Each part is a module of its own (jqEngineCost, standInLoad, studioCost).
 */
import { measureJqEngine } from './jqEngineCost'
import type { JqEngineCost } from './jqEngineCost'
import { log } from './log'
import { measureStandInLoad } from './standInLoad'
import type { StandInLoadResult } from './standInLoad'
import { measureStudio } from './studioCost'
import type { StudioCost } from './studioCost'

export interface MovableInkFigures {
  jq?: JqEngineCost
  standIn?: StandInLoadResult
  studio?: StudioCost
  /** What failed to run, if anything. */
  errors: string[]
}

async function attempt<T>(name: string, errors: string[], run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run()
  } catch (error) {
    errors.push(`${name}: ${(error as Error).message}`)
    return undefined
  }
}

export async function runMovableInkPhase(quick: boolean): Promise<MovableInkFigures> {
  const errors: string[] = []
  const jq = await attempt('jq engine', errors, () => measureJqEngine(quick ? 500 : 2000))
  if (jq)
    log(`jq: lone event ${jq.loneEventUs} µs, runs of 100 ${jq.per100Us} µs/event, 1,000 ${jq.per1000Us} µs/event`)
  const load = quick ? { clients: 8, rounds: 3, seconds: 1 } : { clients: 8, rounds: 7, seconds: 3 }
  const standIn = await attempt('stand-in', errors, () => measureStandInLoad(load))
  if (standIn)
    log(
      `stand-in: ${standIn.withMappingsRps}/s with the event mappings, ${standIn.noEndpointRps}/s without (${standIn.ratio}x)`
    )
  const studio = await attempt('studio', errors, () => measureStudio(1000, quick ? 8 : 20))
  if (studio)
    log(`studio, 1,000 events: re-check ${studio.recheckMs} ms, edit ${studio.pathEditMs}/${studio.matchEditMs} ms`)
  errors.forEach((e) => log(`Movable Ink's side: ${e}`))
  return { jq, standIn, studio, errors }
}
