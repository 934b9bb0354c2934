import type { SuiteRun } from './runSuite'
import { differenceText, leftoverName } from './suiteText'

/**
 * The run as JUnit XML, the report format CI systems read (GitHub Actions reporters, GitLab, Jenkins): one
 * <testsuite> per sample file, one <testcase> per event, a <failure> with the differences for each mismatch.
 * No times or host names: the same run writes the same file.
 */

function escape(text: string): string {
  return (
    text
      // characters XML 1.0 does not allow at all
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  )
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escape(String(v)).replace(/\n/g, '&#10;')}"`)
    .join('')
}

interface Case {
  name: string
  failure?: { message: string; text: string }
}

export function junitXml(run: SuiteRun): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>']
  lines.push(
    `<testsuites${attributes({
      name: 'movable-ink test',
      tests: run.passed + run.failed,
      failures: run.failed,
      errors: 0
    })}>`
  )
  for (const sample of run.samples) {
    const path = sample.sample.file.path
    const cases: Case[] = sample.events.map((e) => {
      const name = `line ${e.observed.line}: ${e.observed.event}`
      if (e.differences.length === 0) return { name }
      const text = e.differences.map((d) => differenceText(d)).join('\n')
      return { name, failure: { message: text.split('\n')[0], text } }
    })
    sample.leftover.forEach((entry, i) => {
      const message = leftoverName(path, entry, sample.events.length + i)
      cases.push({ name: `entry ${sample.events.length + i + 1}`, failure: { message, text: message } })
    })
    const failures = cases.filter((c) => c.failure).length
    lines.push(`  <testsuite${attributes({ name: path, tests: cases.length, failures, errors: 0, skipped: 0 })}>`)
    for (const c of cases) {
      const head = `    <testcase${attributes({ name: c.name, classname: path })}`
      if (!c.failure) {
        lines.push(`${head}/>`)
        continue
      }
      lines.push(`${head}>`)
      lines.push(
        `      <failure${attributes({ message: c.failure.message, type: 'mismatch' })}>${escape(
          c.failure.text
        )}</failure>`
      )
      lines.push('    </testcase>')
    }
    lines.push('  </testsuite>')
  }
  lines.push('</testsuites>')
  return lines.join('\n') + '\n'
}
