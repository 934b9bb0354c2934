// @ts-check
import { el } from './dom.js'

/** Hands the browser a text to save as a file. */
export function download(name, text, type) {
  const link = el('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name })
  document.body.append(link)
  link.click()
  link.remove()
}
