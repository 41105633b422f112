const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether JSON text nests arrays/objects deeper than `maxDepth`, found by one pass over the bytes, before
 * anything parses it. JSON.parse copes with deep nesting, but JSON.stringify (presence diffs, broadcast
 * envelopes) recurses and throws on it, and a browser may too — so depth is refused on arrival.
 * UTF-8 continuation bytes never equal these ASCII codes, so scanning bytes is exact; invalid JSON only
 * needs to be counted consistently, JSON.parse refuses it afterwards.
 */
export function exceedsJsonDepth(text: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const byte = text[index];
    if (inString) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      if (++depth > maxDepth) return true;
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) depth--;
  }
  return false;
}
