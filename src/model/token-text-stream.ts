// Generated tokens as text, as they arrive. A character may span several
// tokens (byte-level BPE splits UTF-8), so a token whose text ends in a broken
// character waits for the next one.
import type { Token } from 'node-llama-cpp';

/** Bytes of one UTF-8 character at most: beyond that a broken character is not going to mend. */
const MAX_HELD = 4;

export class TokenTextStream {
  private held: Token[] = [];

  constructor(private readonly detokenize: (tokens: readonly Token[]) => string) {}

  push(token: Token): string {
    this.held.push(token);
    const text = this.detokenize(this.held);
    if (text.endsWith('\uFFFD') && this.held.length < MAX_HELD) return '';
    this.held = [];
    return text;
  }

  /** What is still held, as it stands. */
  flush(): string {
    const text = this.held.length > 0 ? this.detokenize(this.held) : '';
    this.held = [];
    return text;
  }
}
