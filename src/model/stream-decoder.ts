// What every streamed server response shares, whichever dialect its payloads
// speak (chat-completion deltas, legacy completion text, Ollama's lines): the
// end marker, an `{error}` sent inside the stream, usage and timings, when
// tokens arrived, and the first choice of a payload. Subclasses read the body.
import type { ModelEvent } from './backend.js';

export abstract class StreamDecoder {
  finishReason: string | undefined;
  sawDone = false;
  /** An `{error}` payload the server sent inside the stream. */
  serverError: unknown;
  usage: unknown;
  timings: unknown;
  outputDeltas = 0;
  firstTokenAt: number | undefined;
  lastTokenAt: number | undefined;
  toolCalls = 0;

  constructor(protected readonly now: () => number) {}

  /** True once the server has said the generation is over. */
  get finished(): boolean {
    return this.sawDone || this.finishReason !== undefined;
  }

  /** One SSE `data:` payload or one NDJSON line; what is not JSON is skipped. */
  push(data: string): ModelEvent[] {
    const text = data.trim();
    if (text === '[DONE]') {
      this.sawDone = true;
      return [];
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(text);
    } catch {
      return [];
    }
    return this.pushObject(chunk);
  }

  /** A parsed payload, or a whole response of a server that ignored `stream: true`. */
  pushObject(chunk: unknown): ModelEvent[] {
    if (typeof chunk !== 'object' || chunk === null) return [];
    const body = chunk as Record<string, unknown>;
    if (body.error !== undefined && body.error !== null) {
      this.serverError = body.error;
      return [];
    }
    if (body.usage !== undefined && body.usage !== null) this.usage = body.usage;
    if (body.timings !== undefined && body.timings !== null) this.timings = body.timings;
    return this.readBody(body);
  }

  /** The stream is over: what the parsers held back comes out. */
  abstract finish(): ModelEvent[];

  protected abstract readBody(body: Record<string, unknown>): ModelEvent[];

  /** Output arrived (one delta, roughly one token): for time to first token and speed. */
  protected outputArrived(): void {
    const at = this.now();
    this.firstTokenAt ??= at;
    this.lastTokenAt = at;
    this.outputDeltas++;
  }

  /** The payload's choice 0 (servers that number none send one). */
  protected firstChoice<T extends Record<string, unknown>>(body: Record<string, unknown>): T | undefined {
    const choices = Array.isArray(body.choices) ? (body.choices as T[]) : [];
    return choices.find((choice) => choice.index === 0 || choice.index === undefined) ?? choices[0];
  }

  /** Takes a choice's finish reason when it has one. */
  protected noteFinish(reason: unknown): void {
    if (typeof reason === 'string' && reason) this.finishReason = reason;
  }
}
