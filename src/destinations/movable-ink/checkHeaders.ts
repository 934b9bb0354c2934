import { PayloadValidationError } from '@segment/actions-core'

/** RFC 9110 token characters: what a header name may be made of (ASCII only). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** Visible ASCII, space and tab: no CR/LF (header injection) and nothing outside ASCII. */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/

/**
 * Headers the destination sets itself. Letting the Headers field set them would override the customer's
 * credentials (Authorization), lie about the body (Content-Type, Content-Length) or misroute the request (Host).
 */
export const RESERVED_HEADERS = ['authorization', 'content-type', 'content-length', 'host']

const OWN_CONNECTION =
  'it is about one connection (a hop-by-hop header, RFC 9110 section 7.6.1), which the HTTP client manages'

/**
 * Headers that would break the request rather than describe it, each with the reason. The HTTP client frames
 * the body itself: a Transfer-Encoding beside its Content-Length is a request RFC 9112 section 6.2 forbids
 * (a Node server answers 400, reported as Movable Ink rejecting the event), and a Content-Encoding would make
 * the plain JSON body read as compressed. The hop-by-hop headers belong to the connection, not to an event.
 */
export const FORBIDDEN_HEADERS: Record<string, string> = {
  'transfer-encoding':
    'the HTTP client frames the body itself (a request with both Transfer-Encoding and Content-Length is invalid, RFC 9112 section 6.2)',
  'content-encoding': 'the body is sent as plain JSON, and this header would make Movable Ink read it as compressed',
  expect:
    'the HTTP client sends the body at once; Expect: 100-continue would hold it back for an answer that may never come',
  upgrade: OWN_CONNECTION,
  connection: OWN_CONNECTION,
  'keep-alive': OWN_CONNECTION,
  te: OWN_CONNECTION,
  trailer: 'the request has no trailer fields to announce',
  'proxy-authorization':
    'it carries credentials, and this destination takes credentials only from its settings (a credential in the mapping would show wherever the mapping is shown)'
}

function quote(name: string): string {
  return JSON.stringify(name.length > 60 ? name.slice(0, 60) + '…' : name)
}

/** Returns the problems with the Headers field, one sentence each; an empty list means they may be sent. */
export function findHeaderProblems(headers: Record<string, unknown> | undefined): string[] {
  const problems: string[] = []
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!HEADER_NAME.test(name)) {
      problems.push(
        `Header name ${quote(
          name
        )} is not allowed: header names may only use ASCII letters, digits and !#$%&'*+-.^_\`|~ (no spaces, line breaks or other characters).`
      )
      continue
    }
    if (RESERVED_HEADERS.includes(name.toLowerCase())) {
      problems.push(
        `Header ${quote(
          name
        )} cannot be set in the Headers field: the destination sets it itself (credentials come from the Username and Access Secret settings). Remove it from the mapping.`
      )
      continue
    }
    const forbidden = FORBIDDEN_HEADERS[name.toLowerCase()]
    if (forbidden) {
      problems.push(
        `Header ${quote(name)} cannot be set in the Headers field: ${forbidden}. Remove it from the mapping.`
      )
      continue
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problems.push(`Header ${quote(name)} must be text, but it is ${value === null ? 'null' : typeof value}.`)
      continue
    }
    if (!HEADER_VALUE.test(String(value))) {
      problems.push(
        `Header ${quote(
          name
        )} has a value with characters that are not allowed: only printable ASCII is supported (no line breaks or non-ASCII characters).`
      )
    }
  }
  return problems
}

/** Returns the headers as strings ready to send, or throws a PayloadValidationError naming each bad header. */
export function checkHeaders(headers: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (headers === undefined) return undefined
  const problems = findHeaderProblems(headers)
  if (problems.length > 0) throw new PayloadValidationError(problems.join(' '))
  const result: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) result[name] = String(value)
  return result
}
