import { compileEndpoint, EndpointFileError } from '../endpointModel'
import type { CompiledEndpoint, JqLimits } from '../endpointModel'
import { plural } from '../io/plural'
import { EndpointPlace } from './endpointSave'
import type { EndpointSaveRequest } from './endpointSave'
import { pageProblems } from './studioNotes'
import { StudioError } from './studioError'

/**
 * The event mappings as the page edits them: compiled for each check (a 422 that lists every problem where the
 * page shows it), read from the endpoint file and saved to it by the rules of EndpointPlace.
 */
export class StudioMappings {
  constructor(readonly place: EndpointPlace, private readonly jqLimits?: JqLimits) {}

  /** The mappings the page starts from, the file they are from, and the version a save sends back. */
  read(): { endpoint: unknown; version: string | null } {
    return this.place.read()
  }

  /** The event mappings as edited: compiled, or a 422 whose details list every problem with where it is. */
  async compile(spec: unknown): Promise<CompiledEndpoint> {
    try {
      return await compileEndpoint(spec, 'The event mappings', this.jqLimits)
    } catch (error) {
      if (!(error instanceof EndpointFileError)) throw error
      const problems = pageProblems(error.problems, spec)
      const count = `The event mappings have ${plural(problems.length, 'problem')}`
      const message = `${count}:\n${problems.map((p) => `  ${p.shownWhere}: ${p.message}`).join('\n')}`
      throw new StudioError(422, message, { problems })
    }
  }

  /** Writes the mappings where the page asks, by the rules of EndpointPlace; refused while wrong. */
  async save(request: EndpointSaveRequest): Promise<{ saved: string; replaced: boolean; version: string }> {
    await this.compile(request.spec)
    let answer: ReturnType<EndpointPlace['save']>
    try {
      answer = this.place.save(request)
    } catch (error) {
      throw new StudioError(400, `Not saved: ${(error as Error).message}`)
    }
    if ('status' in answer) throw new StudioError(answer.status, answer.message, answer.details)
    return answer
  }
}
