import { StdinFeed } from '../../src/endpointModel/jq/thread/stdinFeed'

/** jq's side of the feed: read until a whole line is in, as jq's main() does, one job at a time. */
function readLine(feed: StdinFeed): string {
  let line = ''
  const into = new Uint8Array(4)
  while (!line.endsWith('\n')) line += Buffer.from(into.subarray(0, feed.read(into))).toString()
  return line
}

describe('StdinFeed', () => {
  it('hands jq one job per line, and says between jobs how many came in the message of the one just answered', () => {
    const messages = [['a', 'b', 'c'], ['d']]
    const calls: [number, boolean, number][] = []
    const feed = new StdinFeed(
      { poll: () => messages.shift(), next: () => messages.shift() ?? [] },
      { between: (done, more, together) => calls.push([done, more, together]), started: () => undefined }
    )
    expect([readLine(feed), readLine(feed), readLine(feed), readLine(feed)]).toEqual(['a\n', 'b\n', 'c\n', 'd\n'])
    // Before the first job nothing came; the third job ends its message of three; the next is a message of one.
    expect(calls).toEqual([
      [0, true, 0],
      [1, true, 3],
      [2, true, 3],
      [3, true, 3]
    ])
  })
})
