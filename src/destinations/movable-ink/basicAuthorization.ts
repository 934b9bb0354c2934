/** The base64 part of an HTTP basic Authorization header: what the destination sends, byte for byte. */
export function basicCredentials(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`).toString('base64')
}

/** The HTTP basic Authorization header value for Movable Ink's Access Key ID and Access Secret. */
export function basicAuthorization(username: string, password: string): string {
  return 'Basic ' + basicCredentials(username, password)
}
