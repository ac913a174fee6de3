// Latin → Tifinagh transliteration for Amazigh fields (IRCAM alphabet).
// Single letters map directly; digraphs (gh, kh, ch, sh) and a capital for
// the emphatics (D, T, S, Z, R, H) cover the rest. `transliterate` works on
// whole strings; `typeInto` applies one typed character at the caret,
// merging a digraph with the letter before it.

import type { TextBox } from './textbox';

const single: Record<string, string> = {
  a: 'ⴰ', b: 'ⴱ', g: 'ⴳ', d: 'ⴷ', D: 'ⴹ', e: 'ⴻ', f: 'ⴼ', k: 'ⴽ', h: 'ⵀ', H: 'ⵃ',
  ɛ: 'ⵄ', x: 'ⵅ', q: 'ⵇ', i: 'ⵉ', j: 'ⵊ', l: 'ⵍ', m: 'ⵎ', n: 'ⵏ', u: 'ⵓ', o: 'ⵓ',
  r: 'ⵔ', R: 'ⵕ', ɣ: 'ⵖ', s: 'ⵙ', S: 'ⵚ', c: 'ⵛ', t: 'ⵜ', T: 'ⵟ', w: 'ⵡ', y: 'ⵢ',
  z: 'ⵣ', Z: 'ⵥ', v: 'ⵠ', p: 'ⵒ', '^': 'ⵯ',
  ḍ: 'ⴹ', ḥ: 'ⵃ', ṛ: 'ⵕ', ṣ: 'ⵚ', ṭ: 'ⵟ', ẓ: 'ⵥ', č: 'ⵛ',
};
// A letter already typed, then `h`: the pair becomes one letter.
const withH: Record<string, string> = { 'ⴳ': 'ⵖ', 'ⴽ': 'ⵅ', 'ⵛ': 'ⵛ', 'ⵙ': 'ⵛ' };

export function transliterate(latin: string): string {
  let out = '';
  for (const ch of latin) {
    const prev = out.slice(-1);
    if ((ch === 'h') && withH[prev]) {
      out = out.slice(0, -1) + withH[prev];
    } else {
      out += single[ch] ?? single[ch.toLowerCase()] ?? ch;
    }
  }
  return out;
}

/**
 * Handles a `beforeinput` on a text field in transliteration mode: the
 * typed Latin letter is written as Tifinagh at the caret. Returns false if
 * the event is not a plain insertion (the browser then handles it).
 */
export function typeInto(el: TextBox | HTMLTextAreaElement | HTMLInputElement, e: InputEvent): boolean {
  if (e.inputType !== 'insertText' || !e.data || e.isComposing) return false;
  const start = el.selectionStart ?? el.value.length;
  const end = el.selectionEnd ?? start;
  let from = start;
  let text = '';
  for (const ch of e.data) {
    const before = from === start && text === '' ? el.value.slice(start - 1, start) : text.slice(-1);
    if (ch === 'h' && withH[before]) {
      if (text === '') from -= 1;
      text = text.slice(0, -1) + withH[before];
    } else {
      text += single[ch] ?? single[ch.toLowerCase()] ?? ch;
    }
  }
  e.preventDefault();
  el.setRangeText(text, from, end, 'end');
  el.dispatchEvent(new Event('input', { bubbles: true }));
  return true;
}
