// The studio's JSON API. The token comes from the page's URL; every call sends it in a header, so it never
// travels in an API URL.

const token = new URLSearchParams(location.search).get('token') || ''

/** One API call; a refusal throws with the server's message, and its whole answer as `details`. */
export async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { 'x-studio-token': token, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const type = response.headers.get('content-type') || ''
  const data = type.includes('json') ? await response.json() : await response.text()
  if (!response.ok) {
    const error = new Error((data && data.error) || `HTTP ${response.status}`)
    error.details = data
    throw error
  }
  return data
}
