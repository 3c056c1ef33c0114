// What the model generates, as it goes into the context: the tokens kept for
// the history, their text read by the harmony parser into events, and where
// the stream stands in harmony (for the answer's grammar).
import type { Token } from 'node-llama-cpp';
import type { ModelCodec } from './embedded-codec.js';
import { HarmonyPosition, type PositionChange } from './harmony-position.js';
import { HarmonyStreamParser, type HarmonyEvent } from './harmony-stream.js';
import { TokenTextStream } from './token-text-stream.js';

export class GeneratedOutput {
  /** Every token that went into the context after the prompt, sampled or written for the model. */
  readonly tokens: Token[] = [];
  /** Tool calls the parser found. */
  calls = 0;
  /** The answer's text so far. */
  answer = '';
  private readonly text: TokenTextStream;
  private readonly parser = new HarmonyStreamParser();
  private readonly position = new HarmonyPosition();

  constructor(
    private readonly codec: ModelCodec,
    private readonly emit: (event: HarmonyEvent) => void,
  ) {
    this.text = new TokenTextStream((tokens) => codec.detokenize(tokens));
  }

  get generated(): number {
    return this.tokens.length;
  }

  /** Text outside any message (random weights write it; a model that skips the header too). */
  isPlainText(token: Token): boolean {
    return this.position.betweenMessages && this.codec.nameOf(token) === undefined;
  }

  /** The answer is one whole JSON value (under a grammar nothing but whitespace could follow). */
  answerIsJson(): boolean {
    const text = this.answer.trimEnd();
    if (!text.endsWith('}') && !text.endsWith(']')) return false;
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  }

  add(token: Token): PositionChange {
    this.tokens.push(token);
    const name = this.codec.nameOf(token);
    const text = this.text.push(token);
    this.read(this.parser.push(text));
    return this.position.observe(name, name ? '' : text);
  }

  /** The generation ended, on `stopToken` if one ended it (the parser reads it; the context never holds it). */
  finish(stopToken: Token | undefined): void {
    const rest = this.text.flush() + (stopToken !== undefined ? this.codec.detokenize([stopToken]) : '');
    this.read([...this.parser.push(rest), ...this.parser.end()]);
  }

  private read(events: HarmonyEvent[]): void {
    for (const event of events) {
      if (event.type === 'tool_call') this.calls++;
      if (event.type === 'answer') this.answer += event.delta;
      this.emit(event);
    }
  }
}
