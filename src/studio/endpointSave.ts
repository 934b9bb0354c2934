import { readFileSync } from 'fs'
import { resolve } from 'path'
import { EXAMPLES_DIR } from '../io/projectFiles'
import { fileVersion, isInside, safeWriteProblem, writeFileSafely } from '../io/safeWrite'

/**
 * The endpoint file the studio edits: which file the page's mappings were read from, where "Save" writes, and
 * the rules for a save. After a save, the saved file is the one read and saved from then on, so a reload shows
 * what was saved and the next save changes only what the page changed since.
 *
 * A save goes to the studio's save file (the --endpoint file, or ./movable-ink-endpoint.json) or to a .json
 * file inside the working folder the page names; never to the bundled examples, a file events were loaded from,
 * or anywhere else, and never through a symbolic link. It is conditional: the page sends the version of the
 * file it read (`version`, null when there was none), and a file changed since (edited elsewhere, or saved from
 * another tab) is not replaced unless the page says `overwrite`.
 */

/** A save the studio refuses: the HTTP status and the message naming the rule. */
export interface SaveProblem {
  status: number
  message: string
  details?: Record<string, unknown>
}

export interface EndpointSaveRequest {
  spec: unknown
  /** The file the page names; else the current save file. */
  path?: string
  /** The version of the file as the page read it (null: no file); undefined with `overwrite` only. */
  version?: string | null
  overwrite?: boolean
}

export class EndpointPlace {
  /** The file read and saved since the last save, once there has been one. */
  private saved?: string

  constructor(
    private readonly readFile: string,
    private readonly saveFile: string,
    private readonly workDir: string,
    private readonly loadedFiles: () => string[]
  ) {}

  /** The file the page's mappings come from. */
  get readFrom(): string {
    return this.saved ?? this.readFile
  }

  /** Where "Save" writes unless the page names another file. */
  get saveTo(): string {
    return this.saved ?? this.saveFile
  }

  /** The mappings the page starts from, and the version of the save file to send back with a save. */
  read(): { endpoint: unknown; version: string | null } {
    return { endpoint: JSON.parse(readFileSync(this.readFrom, 'utf8')), version: fileVersion(this.saveTo) }
  }

  /** Why the page may not save to `target`, or undefined. */
  private placeProblem(target: string): SaveProblem | undefined {
    const rule = `the studio saves event mappings only to ${this.saveFile} or to a .json file inside its working folder ${this.workDir}`
    if (!target.endsWith('.json')) return { status: 400, message: `Save to a .json file, not ${target}.` }
    if (isInside(target, EXAMPLES_DIR))
      return { status: 403, message: `Not saved: ${target} is among the bundled examples; ${rule}.` }
    if (this.loadedFiles().some((file) => resolve(file) === target))
      return { status: 403, message: `Not saved: the studio loaded events or expectations from ${target}; ${rule}.` }
    if (target === this.saveFile || target === this.saved) return undefined
    const outside = safeWriteProblem(target, { within: this.workDir })
    if (outside?.reason === 'EOUTSIDE') return { status: 403, message: `Not saved: ${target} is outside; ${rule}.` }
    return undefined
  }

  /** Writes the mappings (already checked) as described above. */
  save(request: EndpointSaveRequest): { saved: string; replaced: boolean; version: string } | SaveProblem {
    const target = request.path ? resolve(this.workDir, request.path) : this.saveTo
    const problem = this.placeProblem(target)
    if (problem) return problem
    if (request.version === undefined && !request.overwrite)
      return {
        status: 428,
        message: `Say which version of ${target} the page read ("version" from GET /api/state, null for none), or "overwrite": true.`
      }
    const now = fileVersion(target)
    if (!request.overwrite && now !== request.version)
      return {
        status: 409,
        message: `Not saved: ${target} changed since this page read it (edited elsewhere, or saved from another tab). Reload to see it, or save again to overwrite it.`,
        details: { conflict: true, path: target, version: now }
      }
    const text = JSON.stringify(request.spec, null, 2) + '\n'
    const link = safeWriteProblem(target)
    if (link) return { status: 403, message: `Not saved: ${link.message}` }
    writeFileSafely(target, text)
    this.saved = target
    return { saved: target, replaced: now !== null, version: fileVersion(target) as string }
  }
}
