// Decodes a raw harmony completion as it streams: OpenAI legacy completion
// chunks (`choices[0].text`, vLLM and llama-server) or Ollama's /api/generate
// lines (`response`, `done`, `done_reason`, `prompt_eval_count`, `eval_count`).
// The text goes through the same harmony parser as everywhere else; the stop
// token is usually not in the text, so the parser closes the last message when
// the stream ends.
import type { ModelEvent } from './backend.js';
import { HarmonyStreamParser, type HarmonyEvent } from './harmony-stream.js';
import { newToolCallId } from './tool-call-assembler.js';

export class RawStreamDecoder {
  finishReason: string | undefined;
  sawDone = false;
  serverError: unknown;
  usage: unknown;
  timings: unknown;
  outputDeltas = 0;
  firstTokenAt: number | undefined;
  lastTokenAt: number | undefined;
  toolCalls = 0;
  /** Everything the model wrote, for counting its tokens when the server does not. */
  text = '';

  private readonly parser: HarmonyStreamParser;

  constructor(
    private readonly now: () => number,
    knownTools?: ReadonlySet<string>,
  ) {
    this.parser = new HarmonyStreamParser('answer', knownTools);
  }

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
    try {
      return this.pushObject(JSON.parse(text));
    } catch {
      return [];
    }
  }

  pushObject(chunk: unknown): ModelEvent[] {
    if (typeof chunk !== 'object' || chunk === null) return [];
    const body = chunk as Record<string, unknown>;
    if (body.error !== undefined && body.error !== null) {
      this.serverError = body.error;
      return [];
    }
    if (body.usage !== undefined && body.usage !== null) this.usage = body.usage;
    if (body.timings !== undefined && body.timings !== null) this.timings = body.timings;
    const events: ModelEvent[] = [];
    if (typeof body.response === 'string' || typeof body.done === 'boolean') {
      this.readText(body.response, events);
      if (body.done === true) this.ollamaDone(body);
      return events;
    }
    const choices = Array.isArray(body.choices) ? (body.choices as Array<Record<string, unknown>>) : [];
    const choice = choices.find((c) => c.index === 0 || c.index === undefined) ?? choices[0];
    if (!choice) return events;
    this.readText(choice.text, events);
    if (typeof choice.finish_reason === 'string' && choice.finish_reason) this.finishReason = choice.finish_reason;
    return events;
  }

  /** The stream is over: the message cut at the stop token is completed. */
  finish(): ModelEvent[] {
    const events: ModelEvent[] = [];
    this.harmony(this.parser.end(), events);
    return events;
  }

  private readText(value: unknown, events: ModelEvent[]): void {
    if (typeof value !== 'string' || value === '') return;
    this.text += value;
    const at = this.now();
    this.firstTokenAt ??= at;
    this.lastTokenAt = at;
    this.outputDeltas++;
    this.harmony(this.parser.push(value), events);
  }

  private ollamaDone(body: Record<string, unknown>): void {
    this.sawDone = true;
    this.finishReason = typeof body.done_reason === 'string' ? body.done_reason : 'stop';
    if (typeof body.prompt_eval_count === 'number' || typeof body.eval_count === 'number') {
      this.usage = { prompt_tokens: body.prompt_eval_count, completion_tokens: body.eval_count };
    }
  }

  private harmony(parsed: HarmonyEvent[], events: ModelEvent[]): void {
    for (const event of parsed) {
      if (event.type === 'tool_call') {
        this.toolCalls++;
        events.push({ type: 'tool_call', call: { id: newToolCallId(), name: event.name, arguments: event.arguments } });
      } else if (event.delta) {
        events.push({ type: event.type, delta: event.delta });
      }
    }
  }
}
