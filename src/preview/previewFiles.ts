import { readEvents } from '../events/readEvents'
import type { InputFormat } from '../events/readEvents'
import type { InputItem } from '../events/items'
import type { Previewer } from './previewer'
import { PreviewTally } from './previewSummary'
import type { PreviewItem, PreviewSummary } from './previewTypes'

/** Events previewed together: one evaluation for their Movable Ink side, and at most this many held in memory. */
export const PREVIEW_CHUNK = 100

/**
 * Previews every event of the files, streamed in chunks, handing each item to `onItem` in input order, and
 * returns the summary: what `preview` prints, without the printing.
 */
export async function previewFiles(
  previewer: Previewer,
  files: string[],
  format: InputFormat,
  onItem: (item: PreviewItem) => void
): Promise<PreviewSummary> {
  const tally = new PreviewTally()
  const flush = async (inputs: InputItem[]) => {
    for (const item of await previewer.previewEvents(inputs)) {
      onItem(item)
      tally.add(item)
    }
  }
  let chunk: InputItem[] = []
  for (const file of files) {
    for await (const input of readEvents(file, format, undefined, { unsafeIntegers: true })) {
      chunk.push(input)
      if (chunk.length < PREVIEW_CHUNK) continue
      await flush(chunk)
      chunk = []
    }
  }
  await flush(chunk)
  return tally.summary()
}
