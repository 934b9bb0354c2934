/** Movable Ink's side of a delivery: an endpoint's event mappings (jq), and what they make of each event. */
export { compileEndpoint, loadEndpointFile, DEFAULT_ENDPOINT_FILE } from './compileEndpoint'
export type { CompiledEndpoint } from './compileEndpoint'
export { evaluateEvent, evaluateEvents } from './evaluateEvent'
export { suggestedMatch } from './eventFacts'
export { decidedName } from './decisions'
export { ISO_TO_UNIX_MS } from './fieldChecks'
export { closeJqEngine, DEFAULT_JQ_DEADLINE_MS, DEFAULT_JQ_MEMORY_CAP_MB, keepSpareJqWorker, loadJq } from './jq'
/** Reads and compiles jq-web once (it is otherwise loaded on first use): for timing its load apart. */
export type { JqLimits, JqStopReason } from './jq'
export { EndpointFileError, FIELD_TYPES } from './types'
export type {
  ModelWarningCode,
  EndpointFieldSpec,
  EndpointProblem,
  EndpointSpec,
  EventEvaluation,
  EventMappingSpec,
  EventProblem,
  FieldResult,
  FieldType,
  NotForMovableInkSpec
} from './types'
export { CUSTOM_REQUIRED, PREDEFINED_SCHEMAS } from './schemas'
