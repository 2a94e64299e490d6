/**
 * The one source of ids for tabs, their locks and storage keys, and requests (which keep theirs
 * end to end: stored, handed to another tab, resent). 64 random bits as hex: unique across the
 * tabs of a browser, and plain characters for a key (no `#` or `:`, which the keys use).
 * `crypto.getRandomValues` works on http pages too, where `randomUUID` does not.
 */
export function newId(): string {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return Array.from(words, (word) => word.toString(16).padStart(8, '0')).join('');
}
