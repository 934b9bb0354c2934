/** Text made safe inside HTML elements and double-quoted attributes (the coverage page, the studio's report). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
