/**
 * The jq engine, the only way into src/endpointModel/jq/: jq itself (jq-web, compiled to WebAssembly) run in
 * worker threads, one job queue per program, each job with a deadline and a memory cap, and a runaway named
 * as such. The threads' side lives in thread/ (started by workerHandle.ts); nothing outside this folder
 * reaches either (the lint enforces it).
 */
export {
  checkJqExpression,
  closeJqEngine,
  keepSpareJqWorker,
  prepareJqProgram,
  probeJqProgram,
  runJqProgram
} from './engine'
export type { JqAnswer, JqCheck } from './answers'
export { jqStopsSoFar } from './jobQueue'
export type { JqRunOptions, JqSkipReason, JqStop, JqStopReason } from './jobQueue'
export { loadJq } from './jqWeb'
export { knownChecksOf } from './knownChecks'
export type { KnownChecks } from './knownChecks'
export { DEFAULT_JQ_DEADLINE_MS, DEFAULT_JQ_MEMORY_CAP_MB, resolveJqLimits } from './limits'
export type { JqLimits } from './limits'
