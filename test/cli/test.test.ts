import { cpSync, readFileSync, writeFileSync } from 'fs'
import { join } from 'path'
import { DEFAULT_ENDPOINT_FILE } from '../../src/endpointModel'
import { ROOT, runMain, tempDir } from './helpers'
import { parseXml } from './xml'
import type { XmlElement } from './xml'

/** `movable-ink test`: the example suite, each kind of mismatch with its diff, --update, JUnit XML, usage errors. */

const EXAMPLE = join(ROOT, 'examples', 'suite')

/** A copy of the example suite to change, and a copy of the default endpoint file. */
function copySuite() {
  const dir = tempDir()
  const suite = join(dir, 'suite')
  cpSync(EXAMPLE, suite, { recursive: true })
  const endpoint = join(dir, 'endpoint.json')
  cpSync(DEFAULT_ENDPOINT_FILE, endpoint)
  const lines = (name: string) =>
    readFileSync(join(suite, name), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
  const rewrite = (name: string, change: (events: Record<string, any>[]) => void) => {
    const events = name.endsWith('.jsonl') ? lines(name) : [JSON.parse(readFileSync(join(suite, name), 'utf8'))]
    change(events)
    writeFileSync(join(suite, name), events.map((e) => JSON.stringify(e)).join('\n') + '\n')
  }
  const editEndpoint = (change: (spec: { mappings: Record<string, any>[] }) => void) => {
    const spec = JSON.parse(readFileSync(endpoint, 'utf8'))
    change(spec)
    writeFileSync(endpoint, JSON.stringify(spec, null, 2))
  }
  return { dir, suite, endpoint, rewrite, editEndpoint }
}

/** The block of output for one event: its ✓/✗ line and the indented lines beneath. */
function block(stdout: string, start: string): string {
  const lines = stdout.split('\n')
  const at = lines.findIndex((l) => l.includes(start))
  if (at < 0) throw new Error(`no line with ${start} in:\n${stdout}`)
  const end = lines.findIndex((l, i) => i > at && !l.startsWith(' '))
  return lines.slice(at, end).join('\n')
}

describe('movable-ink test', () => {
  it('passes the example suite: one line per event, then the count, exit 0', async () => {
    const result = await runMain(['test', 'examples/suite'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout.split('\n')).toEqual([
      '✓ examples/suite/checkout.jsonl:1  track "Product Viewed"',
      '✓ examples/suite/checkout.jsonl:2  track "Product Added"',
      '✓ examples/suite/checkout.jsonl:3  track "Order Completed"',
      '✓ examples/suite/group.json:1  group',
      '✓ examples/suite/identify.json:1  identify',
      '✓ examples/suite/signed-up-without-timestamp.json:1  track "Signed Up"',
      '6 passed, 0 failed',
      ''
    ])
  })

  it('shows each kind of mismatch as a readable diff, with the jq path of each field, and exits 1', async () => {
    const { suite, endpoint, rewrite, editEndpoint } = copySuite()
    rewrite('checkout.jsonl', ([viewed, added]) => {
      viewed.properties.price = 79.99 // a field's value changes
      delete added.properties.product_id // a field goes missing
    })
    rewrite('group.json', ([group]) => delete group.userId) // the Segment side now refuses it
    editEndpoint((spec) => {
      const order = spec.mappings.find((m) => m.name === 'Order Completed')
      spec.mappings.unshift({ ...order, name: 'Purchase' }) // another mapping takes the order
      spec.mappings.filter((m) => m.name === 'Identify').forEach((m) => (m.active = false)) // Movable Ink now refuses identify
    })
    const result = await runMain(['test', suite, '--endpoint', endpoint])
    expect(result.code).toBe(1)
    expect(block(result.stdout, 'checkout.jsonl:1')).toBe(
      `✗ ${suite}/checkout.jsonl:1  track "Product Viewed"\n` +
        '    Movable Ink field Price (.properties.price): expected 89.99, actual 79.99'
    )
    expect(block(result.stdout, 'checkout.jsonl:2')).toBe(
      `✗ ${suite}/checkout.jsonl:2  track "Product Added"\n` +
        '    Movable Ink refused: expected none, actual missing-required: ID\n' +
        '      missing-required: ID: ID is required, but .properties.product_id gives no value for this event\n' +
        '    Movable Ink field ID (.properties.product_id): expected "507f1f77bcf86cd799439011", actual null'
    )
    expect(block(result.stdout, 'checkout.jsonl:3')).toBe(
      `✗ ${suite}/checkout.jsonl:3  track "Order Completed"\n` +
        '    Movable Ink mapping: expected "Order Completed", actual "Purchase"'
    )
    expect(block(result.stdout, 'identify.json:1')).toBe(
      `✗ ${suite}/identify.json:1  identify\n` +
        '    Movable Ink mapping: expected "Identify", actual no mapping\n' +
        '    Movable Ink refused: expected none, actual unmapped\n' +
        '      unmapped: No active event mapping matches this event: Test Mapping would fail; fix: mapping "Identify" matches but is not active: activate it'
    )
    expect(block(result.stdout, 'group.json:1')).toMatch(
      new RegExp(
        `^✗ ${suite}/group.json:1  group\n` +
          '    Segment: expected sent, actual refused \\(identity\\)\n' +
          '      identity: Movable Ink requires a "userId" or an "anonymousId", but the event has neither: .*\n' +
          '    Movable Ink: expected no mapping, actual nothing \\(not sent\\)$'
      )
    )
    expect(result.stdout).toContain(`✓ ${suite}/signed-up-without-timestamp.json:1  track "Signed Up"`)
    expect(result.stdout.trim().split('\n').pop()).toBe('1 passed, 5 failed')
  })

  it('--update writes what was found, says what changed, and the suite then passes', async () => {
    const { suite, rewrite } = copySuite()
    rewrite('checkout.jsonl', ([viewed]) => (viewed.properties.price = 79.99))
    writeFileSync(
      join(suite, 'new.json'),
      JSON.stringify({ type: 'page', name: 'Home', userId: 'u-1', timestamp: '2025-01-15T10:00:00.000Z' })
    )
    const before = readFileSync(join(suite, 'identify.expected.json'), 'utf8')
    const update = await runMain(['test', suite, '--update'])
    expect(update.code).toBe(0)
    expect(update.stdout).toContain(
      `Updated ${suite}/checkout.expected.json: 1 event\n` +
        '  1  track "Product Viewed"\n' +
        '    Movable Ink field Price (.properties.price): was 89.99, now 79.99\n' +
        `Wrote ${suite}/new.expected.json: 1 event\n`
    )
    expect(update.stdout.trim().split('\n').pop()).toBe(
      '5 passed, 2 failed before the update; the expected files now hold what was found.'
    )
    expect(readFileSync(join(suite, 'identify.expected.json'), 'utf8')).toBe(before)
    const written = JSON.parse(readFileSync(join(suite, 'new.expected.json'), 'utf8'))
    expect(written.events[0]).toEqual({
      line: 1,
      event: 'page "Home"',
      segment: 'sent',
      movableInk: { mapping: 'Page Viewed', fields: expect.objectContaining({ Timestamp: 1736935200000 }) }
    })
    const again = await runMain(['test', suite])
    expect(again.code).toBe(0)
    expect(again.stdout.trim().split('\n').pop()).toBe('7 passed, 0 failed')
    const nothing = await runMain(['test', suite, '--update'])
    expect(nothing.stdout).toContain('Every expected file already holds what was found: nothing written.')
  })

  it('expects an event left out on purpose (notForMovableInk) as such, and fails when the decision goes', async () => {
    const { suite, endpoint, editEndpoint } = copySuite()
    const decide = (on: boolean) =>
      editEndpoint((spec: Record<string, any>) => {
        if (on) spec.notForMovableInk = [{ match: '.type == "group"', reason: 'accounts are not used' }]
        else delete spec.notForMovableInk
      })
    decide(true)
    const changed = await runMain(['test', suite, '--endpoint', endpoint])
    expect(changed.code).toBe(1)
    expect(block(changed.stdout, 'group.json:1')).toContain('not-for-movable-ink')
    await runMain(['test', suite, '--endpoint', endpoint, '--update'])
    const written = JSON.parse(readFileSync(join(suite, 'group.expected.json'), 'utf8'))
    expect(written.events[0].movableInk).toEqual({ mapping: null, refused: ['not-for-movable-ink'] })
    expect((await runMain(['test', suite, '--endpoint', endpoint])).code).toBe(0)
    decide(false)
    const undecided = await runMain(['test', suite, '--endpoint', endpoint])
    expect(undecided.code).toBe(1)
    expect(block(undecided.stdout, 'group.json:1')).toMatch(/unmapped/)
  })

  it('writes JUnit XML that an XML parser reads, in the shape CI reporters expect', async () => {
    const { dir, suite, rewrite } = copySuite()
    rewrite('checkout.jsonl', ([viewed]) => (viewed.properties.name = 'Trail <Runner> & "2"'))
    const report = join(dir, 'junit.xml')
    const result = await runMain(['test', suite, '--reporter', 'junit', report])
    expect(result.code).toBe(1)
    const root = parseXml(readFileSync(report, 'utf8'))
    const all = (node: XmlElement, name: string): XmlElement[] => node.children.filter((c) => c.name === name)
    expect(root.name).toBe('testsuites')
    expect(root.attributes).toMatchObject({ name: 'movable-ink test', tests: '6', failures: '1', errors: '0' })
    const suites = all(root, 'testsuite')
    expect(suites.map((s) => s.attributes.name)).toEqual(
      ['checkout.jsonl', 'group.json', 'identify.json', 'signed-up-without-timestamp.json'].map((f) => `${suite}/${f}`)
    )
    for (const s of suites) {
      const cases = all(s, 'testcase')
      expect(Number(s.attributes.tests)).toBe(cases.length)
      expect(Number(s.attributes.failures)).toBe(cases.filter((c) => all(c, 'failure').length > 0).length)
      for (const c of cases) expect(c.attributes).toEqual({ name: expect.any(String), classname: s.attributes.name })
    }
    const [failing] = all(suites[0], 'testcase').filter((c) => all(c, 'failure').length > 0)
    expect(failing.attributes.name).toBe('line 1: track "Product Viewed"')
    const [failure] = all(failing, 'failure')
    expect(failure.attributes.type).toBe('mismatch')
    expect(failure.attributes.message).toBe(
      'Movable Ink field Title (.properties.name): expected "Trail Runner 2", actual "Trail <Runner> & \\"2\\""'
    )
    expect(failure.text).toBe(failure.attributes.message)
  })

  it('reads with an XML reader that refuses what is not well-formed', () => {
    expect(parseXml('<a x="1&amp;2"><b/>t&lt;</a>')).toEqual({
      name: 'a',
      attributes: { x: '1&2' },
      children: [{ name: 'b', attributes: {}, children: [], text: '' }],
      text: 't<'
    })
    for (const bad of ['<a>&</a>', '<a><b></a>', '<a x=1/>', '<a x="1" x="2"/>', '<a/><b/>', '<a>x<y</a>'])
      expect(() => parseXml(bad)).toThrow()
  })

  it('exits 2 for a suite it cannot run, naming the place and the fix', async () => {
    const { suite } = copySuite()
    writeFileSync(join(suite, 'group.expected.json'), '{"events": [{"segment": "delivered"}]}')
    writeFileSync(join(suite, 'broken.jsonl'), '{"type": "identify"}\nnot json\n')
    const broken = await runMain(['test', suite])
    expect(broken.code).toBe(2)
    expect(broken.stdout).toBe('')
    expect(broken.stderr).toContain('The suite has 2 problems:')
    expect(broken.stderr).toContain(`${suite}/broken.jsonl:2: is not an event (not valid JSON`)
    expect(broken.stderr).toContain(
      `${suite}/group.expected.json: events[0].segment: must be "sent", "not subscribed" or {"refused": [<rule>, ...]}`
    )
    const usage = [
      [['test'], 'No suite given'],
      [['test', 'examples/suite', '--sample', '0.1'], '--sample goes with --coverage only.'],
      [['test', 'examples/suite', '--reporter', 'tap', 'x'], '--reporter takes a format and a file'],
      [['test', '--coverage', 'examples/events', '--update'], 'it does not go with --coverage']
    ]
    for (const [args, message] of usage) {
      const result = await runMain(args as string[])
      expect({ args, code: result.code }).toEqual({ args, code: 2 })
      expect(result.stderr).toContain(message)
    }
  })
})
