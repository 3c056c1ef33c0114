// Put in place of string-width inside the UI bundle (see bundle-ui.ts). Ink
// measures every text it lays out; string-width handles anything outside
// printable ASCII with a grapheme segmenter and Unicode-property regular
// expressions, which cost ~15 ms to compile on first use and tens of
// microseconds per call after. The UI's own glyphs (· › … ─ ╭ ⠋ ✓ is not among
// them) are all one column wide, so strings made only of such characters take
// this shortcut; everything else goes to string-width unchanged. A test checks
// the shortcut against string-width for every character it covers.
import stringWidth from 'string-width';

/** Characters string-width measures as one column each, that never join a neighbour into one grapheme. */
export const SINGLE_COLUMN =
  /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2500-\u259F\u2800-\u28FF]*$/;

export default function fastStringWidth(text: string, options?: Parameters<typeof stringWidth>[1]): number {
  if (typeof text === 'string' && options?.ambiguousIsNarrow !== false && SINGLE_COLUMN.test(text)) return text.length;
  return stringWidth(text, options);
}
