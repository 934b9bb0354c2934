import type { IncomingMessage, ServerResponse } from 'http'

/** A JSON answer with its length; `headers` add to (or replace) the content type and length. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers
  })
  res.end(text)
}

/**
 * A request's body, read to its end even when it is too big, so that the client gets its 413 rather than a
 * connection reset; `body` is undefined when it reached `maxBytes` (or its Content-Length said it would).
 */
export async function readCappedBody(
  req: IncomingMessage,
  maxBytes: number
): Promise<{ body?: Buffer; bytes: number }> {
  const declared = Number(req.headers['content-length'])
  let tooLarge = Number.isFinite(declared) && declared >= maxBytes
  const chunks: Buffer[] = []
  let bytes = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length
    if (bytes >= maxBytes) tooLarge = true
    if (!tooLarge) chunks.push(chunk)
  }
  return { body: tooLarge ? undefined : Buffer.concat(chunks, bytes), bytes }
}
