// Decides which answer text of a generation the user sees while it streams.
// The answer is shown as it arrives, except:
//   - text that may be a tool call written as text (it starts with `{`) waits for the
//     end of the generation, where the loop either shows it or runs it as a call;
//   - from harmony debris on (`to=functions.`, a special token the parser could not
//     place), nothing more is shown: the generation is malformed and sampled again;
//   - text after a tool call is an answer written before the tool results came: it is
//     never shown and never kept.
// The loop uses one for the preamble too, without the `{` hold: debris there is cut.
const DEBRIS = /to=functions\.|<\|[a-z0-9_]{1,24}\|>|assistant(?:final|commentary|analysis)/;
const DEBRIS_STARTS = ['to=functions.', 'assistantfinal', 'assistantcommentary', 'assistantanalysis'];

export class AnswerStream {
  /** Answer text written before any tool call. */
  text = '';
  /** Answer text written after a tool call (dropped). */
  late = '';
  /** Harmony debris was found in the answer. */
  debris = false;
  private shown = 0;
  private callSeen = false;

  /** @param holdJson false when the answer itself must be JSON (a response schema): it streams as usual. */
  constructor(private readonly holdJson: boolean) {}

  /** Adds answer text; returns what may be shown now. */
  push(delta: string): string {
    if (this.callSeen) {
      this.late += delta;
      return '';
    }
    this.text += delta;
    if (this.debris) return '';
    const found = DEBRIS.exec(this.text);
    if (found) {
      this.debris = true;
      return this.release(found.index);
    }
    if (this.holdJson && /^\s*(\{|$)/.test(this.text)) return '';
    return this.release(this.text.length - heldTail(this.text));
  }

  /** A tool call arrived: later answer text is premature; what came before is shown (it is the preamble). */
  noteCall(): string {
    const held = this.holdJson && /^\s*\{/.test(this.text);
    this.callSeen = true;
    return this.debris || held ? '' : this.release(this.text.length);
  }

  /** The answer without debris: all of it, or only what was shown before the debris began. */
  get usable(): string {
    return this.debris ? this.text.slice(0, this.shown) : this.text;
  }

  /** The generation ended and its answer stands: the rest of it may be shown. */
  finish(): string {
    return this.debris ? '' : this.release(this.text.length);
  }

  /** The part of the answer shown so far. */
  get shownText(): string {
    return this.text.slice(0, this.shown);
  }

  private release(upTo: number): string {
    if (upTo <= this.shown) return '';
    const out = this.text.slice(this.shown, upTo);
    this.shown = upTo;
    return out;
  }
}

/** Characters at the end that could begin debris, held until the next text shows. */
function heldTail(text: string): number {
  const token = /<(\|[a-z0-9_]{0,24}\|?)?$/.exec(text);
  if (token) return token[0].length;
  for (let length = Math.min(text.length, 19); length > 0; length--) {
    const tail = text.slice(text.length - length);
    if (DEBRIS_STARTS.some((start) => start.startsWith(tail))) return length;
  }
  return 0;
}
