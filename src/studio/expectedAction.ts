import type { EvaluationCache } from './evaluationCache'
import type { StudioSuite } from './expectations'
import { SaveConflict, SaveRefusal, saveExpected } from './saveExpected'
import type { SaveAnswer, SaveEvent, SaveRequest } from './saveExpected'
import type { StudioChecks } from './studioChecks'
import { StudioError } from './studioError'
import type { StudioEvents } from './studioEvents'

/**
 * "Save as expected" as the studio does it: what one event, or every event, makes now with the mappings as
 * edited becomes its entry in the expected file (saveExpected.ts, by `movable-ink test --update`'s rule); a
 * pasted event saved into a suite file is that file's event from then on.
 */
export class ExpectedAction {
  constructor(
    private readonly events: StudioEvents,
    private readonly evaluations: EvaluationCache,
    private readonly checks: StudioChecks,
    private readonly suite: StudioSuite,
    private readonly workDir: string
  ) {}

  /**
   * Saves event `id`, or every event (`all`); pasted events go to `pastedPath`. A 422 while the mappings have
   * mistakes, a 400 that names every reason when the studio cannot save, a 409 naming the files changed since
   * the page read them (`read`: the versions it read, or overwrite), and nothing written then.
   */
  async save(
    spec: unknown,
    which: { id: number } | { all: true },
    pastedPath?: string,
    read: Pick<SaveRequest, 'versions' | 'overwrite'> = {}
  ): Promise<SaveAnswer> {
    const evaluation = await this.evaluations.evaluate(spec)
    if ('id' in which && !evaluation.events.includes(this.events.find(which.id)))
      throw new StudioError(409, `Event ${which.id} was added during the check: ask again.`)
    const events: SaveEvent[] = evaluation.events.map((e) => ({
      id: e.id,
      spot: e.spot,
      item: this.checks.checkedItem(e, evaluation),
      input: e.item,
      where: `${e.item.source}:${e.item.line}`
    }))
    const chosen = 'id' in which ? events.filter((e) => e.id === which.id) : events
    let answer: SaveAnswer
    try {
      answer = await saveExpected({
        suite: this.suite,
        events,
        chosen,
        all: !('id' in which),
        pastedPath,
        workDir: this.workDir,
        ...read
      })
    } catch (error) {
      if (error instanceof SaveRefusal) throw new StudioError(400, error.message, { problems: error.problems })
      if (error instanceof SaveConflict)
        throw new StudioError(409, error.message, { conflict: true, files: error.files })
      throw error
    }
    for (const moved of answer.moved) this.events.moveToFile(moved)
    return answer
  }
}
