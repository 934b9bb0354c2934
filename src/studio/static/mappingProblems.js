import { $, showError } from './dom.js'
import { problemId } from './mappingInputs.js'
import { state } from './state.js'

// The server's problems with the mappings (a jq criterion that does not compile, a field with no name...),
// each next to its input; the ones with no input of their own in the box above the editor.

export function showProblems() {
  document.querySelectorAll('#mapping-editor .problem').forEach((node) => (node.textContent = ''))
  const elsewhere = []
  for (const p of state.problems) {
    const node = spotFor(p)
    if (node) node.textContent = (node.textContent ? node.textContent + ' ' : '') + p.message
    // A mapping with a problem opens itself, so the problem is seen.
    if (node && p.mapping !== undefined && $(`mapping-${p.mapping}`)) $(`mapping-${p.mapping}`).open = true
    else elsewhere.push(`${p.where}: ${p.message}`)
  }
  showError('endpoint-problems', summaryOf(state.problems, elsewhere))
}

function spotFor(problem) {
  if (problem.where === 'endpointKey') return $(problemId('e', undefined, 'endpointKey'))
  if (problem.mapping === undefined) return null
  return $(problemId(problem.mapping, problem.field, problem.property || 'mapping'))
}

function summaryOf(problems, elsewhere) {
  if (!problems.length) return ''
  const count = `The mappings have ${problems.length} problem(s); nothing is checked until they are fixed.`
  return count + (elsewhere.length ? '\n' + elsewhere.join('\n') : '')
}
