// UTF-16 offsets (what a textarea reports) and code point offsets (what
// Automerge counts), converted with the text the field holds: the WASM
// client then never reads a whole text to convert a keystroke's position
// (its `spliceChars`, `cursorAt`, `cursorIndex`).

const high = (c: number) => c >= 0xd800 && c <= 0xdbff;
const low = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Whether `s` may hold a code point of two UTF-16 units (an emoji, a
 *  rare script). Arabic, French and Tifinagh never need one, and a text
 *  without any converts in no time: the field keeps this for its text
 *  (`astral` below) instead of walking it for every keystroke and caret
 *  (six walks a keystroke: 0.45 ms at 50,000 characters). */
export function hasAstral(s: string): boolean {
  return /[\uD800-\uDFFF]/.test(s);
}

/** Code points before UTF-16 offset `at` of `s`; `astral` false: `s` is
 *  known to hold no surrogate, so the two counts agree. */
export function charIndex(s: string, at: number, astral = true): number {
  if (!astral) return Math.min(Math.max(at, 0), s.length);
  let n = 0;
  for (let i = 0; i < at && i < s.length; i++, n++) {
    if (high(s.charCodeAt(i)) && i + 1 < at && low(s.charCodeAt(i + 1))) i++;
  }
  return n;
}

/** UTF-16 offset of code point `n` of `s` (`astral` as for `charIndex`). */
export function utf16Index(s: string, n: number, astral = true): number {
  if (!astral) return Math.min(Math.max(n, 0), s.length);
  let i = 0;
  for (let k = 0; k < n && i < s.length; k++) {
    i += high(s.charCodeAt(i)) && i + 1 < s.length && low(s.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i;
}

/** The one splice that turns `before` into `after` (what the browser or a
 *  new value did), in UTF-16 units, never splitting a surrogate pair. */
export function spliceOf(before: string, after: string): { at: number; remove: number; insert: string } {
  let head = 0;
  const most = Math.min(before.length, after.length);
  while (head < most && before.charCodeAt(head) === after.charCodeAt(head)) head++;
  if (head > 0 && high(before.charCodeAt(head - 1))) head--;
  let tail = 0;
  while (tail < most - head && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  if (tail > 0 && low(before.charCodeAt(before.length - tail))) tail--;
  return { at: head, remove: before.length - head - tail, insert: after.slice(head, after.length - tail) };
}

/** Where UTF-16 offset `at` of `before` is in `after` (a peer's words
 *  merged before or after it): the same place in what they share. */
export function moved(before: string, after: string, at: number): number {
  const { at: head, remove, insert } = spliceOf(before, after);
  if (at <= head) return at;
  if (at >= head + remove) return at + insert.length - remove;
  return head + insert.length;
}
