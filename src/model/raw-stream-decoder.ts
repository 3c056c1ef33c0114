// Decodes a raw harmony completion as it streams: OpenAI legacy completion
// chunks (`choices[0].text`, vLLM and llama-server) or Ollama's /api/generate
// lines (`response`, `done`, `done_reason`, `prompt_eval_count`, `eval_count`).
// The text goes through the same harmony parser as everywhere else; the stop
// token is usually not in the text, so the parser closes the last message when
// the stream ends.
import type { ModelEvent } from './backend.js';
import { restoreInertJsonText } from './harmony-inert-text.js';
import { HarmonyStreamParser, type HarmonyEvent } from './harmony-stream.js';
import { StreamDecoder } from './stream-decoder.js';
import { newToolCallId } from './tool-call-assembler.js';

export class RawStreamDecoder extends StreamDecoder {
  /** Everything the model wrote, for counting its tokens when the server does not. */
  text = '';

  private readonly parser: HarmonyStreamParser;

  /** @param inertPrompt the prompt's text was made inert, so calls may copy inert text. */
  constructor(
    now: () => number,
    knownTools?: ReadonlySet<string>,
    private readonly inertPrompt = false,
  ) {
    super(now);
    this.parser = new HarmonyStreamParser('answer', knownTools);
  }

  protected readBody(body: Record<string, unknown>): ModelEvent[] {
    const events: ModelEvent[] = [];
    if (typeof body.response === 'string' || typeof body.done === 'boolean') {
      this.readText(body.response, events);
      if (body.done === true) this.ollamaDone(body);
      return events;
    }
    const choice = this.firstChoice(body);
    if (!choice) return events;
    this.readText(choice.text, events);
    this.noteFinish(choice.finish_reason);
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
    this.outputArrived();
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
        const args = this.inertPrompt ? restoreInertJsonText(event.arguments) : event.arguments;
        const call = { id: newToolCallId(), name: event.name, arguments: args };
        events.push({ type: 'tool_call', call: event.channel ? { ...call, channel: event.channel } : call });
      } else if (event.delta) {
        events.push({ type: event.type, delta: event.delta });
      }
    }
  }
}
