// @ts-check
// The studio's JSON API. The token comes from the page's URL; every call sends it in a header, so it never
// travels in an API URL.

const token = new URLSearchParams(location.search).get('token') || ''

/** A refusal of the API: the server's message, and its whole answer as `details`. */
export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {import('../apiTypes').ErrorAnswer} details
   */
  constructor(message, details) {
    super(message)
    this.details = details
  }
}

/**
 * One API call; a refusal throws an ApiError. The body and the answer have the route's types (Routes in
 * ../apiTypes.ts): a call the server does not answer so does not type-check.
 * @template {string} M
 * @template {string} P
 * @param {M} method
 * @param {P} path
 * @param {import('../apiTypes').BodyArgs<`${M} ${P}`>} args the body, for a route that takes one
 * @returns {Promise<import('../apiTypes').AnswerOf<`${M} ${P}`>>}
 */
export async function api(method, path, ...args) {
  const body = args[0]
  const response = await fetch(path, {
    method,
    headers: { 'x-studio-token': token, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const type = response.headers.get('content-type') || ''
  const data = type.includes('json') ? await response.json() : await response.text()
  if (!response.ok)
    throw new ApiError(
      (data && data.error) || `HTTP ${response.status}`,
      typeof data === 'object' ? data : { error: data }
    )
  return data
}
