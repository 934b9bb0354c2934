/**
 * A strict reader of the XML subset JUnit reports use (a declaration, elements, attributes, text, the five
 * predefined entities and numeric character references): it throws on anything a conforming parser would
 * refuse in that subset (an unclosed or mismatched tag, a bare `&` or `<`, an unquoted or repeated attribute,
 * text outside the root), so a report it reads is well-formed XML.
 */

export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  text: string
}

const NAME = /^[A-Za-z_][\w.-]*/
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function decode(text: string, at: number): string {
  if (text.includes('<')) throw new Error(`a bare "<" near offset ${at}`)
  return text.replace(/&([^;]*);?/g, (all, ref: string) => {
    if (!all.endsWith(';')) throw new Error(`a bare "&" near offset ${at}`)
    if (ref in ENTITIES) return ENTITIES[ref]
    const code = /^#x([0-9a-f]+)$/i.exec(ref)
      ? parseInt(ref.slice(2), 16)
      : /^#(\d+)$/.exec(ref)
      ? Number(ref.slice(1))
      : NaN
    if (Number.isNaN(code)) throw new Error(`an unknown entity &${ref}; near offset ${at}`)
    return String.fromCodePoint(code)
  })
}

export function parseXml(xml: string): XmlElement {
  let i = 0
  const fail = (why: string): never => {
    throw new Error(`${why} at offset ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`)
  }
  const skipSpace = () => {
    while (i < xml.length && /\s/.test(xml[i])) i++
  }
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>')
    if (end < 0) fail('an unclosed declaration')
    i = end + 2
  }
  const element = (): XmlElement => {
    if (xml[i] !== '<') fail('expected "<"')
    i++
    const name = NAME.exec(xml.slice(i))?.[0] ?? fail('expected an element name')
    i += name.length
    const node: XmlElement = { name, attributes: {}, children: [], text: '' }
    for (;;) {
      skipSpace()
      if (xml.startsWith('/>', i)) {
        i += 2
        return node
      }
      if (xml[i] === '>') {
        i++
        break
      }
      const attribute = NAME.exec(xml.slice(i))?.[0] ?? fail('expected an attribute name')
      i += attribute.length
      if (xml[i] !== '=' || xml[i + 1] !== '"') fail('expected ="')
      const end = xml.indexOf('"', i + 2)
      if (end < 0) fail('an unclosed attribute value')
      if (attribute in node.attributes) fail(`a repeated attribute ${attribute}`)
      node.attributes[attribute] = decode(xml.slice(i + 2, end), i)
      i = end + 1
    }
    for (;;) {
      const next = xml.indexOf('<', i)
      if (next < 0) fail(`an unclosed <${name}>`)
      node.text += decode(xml.slice(i, next), i)
      i = next
      if (xml.startsWith('</', i)) {
        const close = `</${name}>`
        if (!xml.startsWith(close, i)) fail(`expected ${close}`)
        i += close.length
        return node
      }
      node.children.push(element())
    }
  }
  skipSpace()
  const root = element()
  skipSpace()
  if (i !== xml.length) fail('text after the root element')
  return root
}
