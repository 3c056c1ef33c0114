// Decodes the data payloads of one streaming chat-completions response into
// ModelEvents and keeps what the end event needs (finish reason, usage,
// timing, whether the server said it was done).
//
// Reasoning arrives as `delta.reasoning_content` (llama-server, vLLM before its
// rename, LM Studio's older option) or `delta.reasoning` (Ollama, vLLM since
// late 2025, LM Studio since 0.3.23 for gpt-oss, OpenRouter). Some vLLM builds
// sent both with the same text; then only `reasoning` is used. Content and
// reasoning both go through a harmony parser, so raw harmony leaked by a
// server is split into its channels and never shown as text.
import type { ModelEvent, ToolCallRequest } from './backend.js';
import type { ReasoningField } from './chat-request.js';
import { HarmonyStreamParser, type HarmonyEvent } from './harmony-stream.js';
import { newToolCallId, ToolCallAssembler } from './tool-call-assembler.js';
import { cleanToolName } from './tool-name.js';

interface ChunkChoice {
  index?: unknown;
  delta?: Record<string, unknown> | null;
  message?: Record<string, unknown> | null;
  finish_reason?: unknown;
}

export class ChatStreamDecoder {
  /** The reasoning field this response used, if it sent any reasoning. */
  reasoningField: ReasoningField | undefined;
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

  private readonly content: HarmonyStreamParser;
  private readonly reasoning: HarmonyStreamParser;
  private readonly calls = new ToolCallAssembler();

  /**
   * @param knownTools the names calls may arrive with (see tool-name.ts).
   * @param qualifiedNames flattened system-tool names → the names the loop knows (chat-system-tools.ts).
   */
  constructor(
    private readonly now: () => number,
    private readonly knownTools?: ReadonlySet<string>,
    private readonly qualifiedNames?: ReadonlyMap<string, string>,
  ) {
    this.content = new HarmonyStreamParser('answer', knownTools);
    this.reasoning = new HarmonyStreamParser('reasoning', knownTools);
  }

  /** True once the server has said the generation is over. */
  get finished(): boolean {
    return this.sawDone || this.finishReason !== undefined;
  }

  /** One SSE `data:` payload. Payloads that are not JSON are skipped. */
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

  /** A parsed chunk, or a whole non-streamed completion (its `message` is read like a delta). */
  pushObject(chunk: unknown): ModelEvent[] {
    if (typeof chunk !== 'object' || chunk === null) return [];
    const body = chunk as Record<string, unknown>;
    if (body.error !== undefined && body.error !== null) {
      this.serverError = body.error;
      return [];
    }
    if (body.usage !== undefined && body.usage !== null) this.usage = body.usage;
    if (body.timings !== undefined && body.timings !== null) this.timings = body.timings;
    const choices = Array.isArray(body.choices) ? (body.choices as ChunkChoice[]) : [];
    const choice = choices.find((c) => c.index === 0 || c.index === undefined) ?? choices[0];
    if (!choice) return [];
    const events: ModelEvent[] = [];
    const delta = choice.delta ?? choice.message;
    if (delta) this.readDelta(delta, events);
    if (typeof choice.finish_reason === 'string' && choice.finish_reason) this.finishReason = choice.finish_reason;
    return events;
  }

  /** The stream is over: flushes held-back text and the calls still being assembled. */
  finish(): ModelEvent[] {
    const events: ModelEvent[] = [];
    this.harmony(this.reasoning.end(), events);
    this.harmony(this.content.end(), events);
    for (const call of this.calls.finish()) this.call(call, events);
    return events;
  }

  private readDelta(delta: Record<string, unknown>, events: ModelEvent[]): void {
    let carried = false;
    const reasoning = text(delta.reasoning) ?? text(delta.reasoning_content);
    if (reasoning !== undefined) {
      this.reasoningField = text(delta.reasoning) !== undefined ? 'reasoning' : 'reasoning_content';
      this.harmony(this.reasoning.push(reasoning), events);
      carried = true;
    }
    const content = text(delta.content);
    if (content !== undefined) {
      this.harmony(this.content.push(content), events);
      carried = true;
    }
    if (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) {
      for (const entry of delta.tool_calls) {
        for (const call of this.calls.push(entry)) this.call(call, events);
      }
      carried = true;
    }
    if (carried) {
      const at = this.now();
      this.firstTokenAt ??= at;
      this.lastTokenAt = at;
      this.outputDeltas++;
    }
  }

  private harmony(parsed: HarmonyEvent[], events: ModelEvent[]): void {
    for (const event of parsed) {
      if (event.type === 'tool_call') {
        this.call({ id: newToolCallId(), name: event.name, arguments: event.arguments || '{}' }, events);
      } else if (event.delta) {
        events.push({ type: event.type, delta: event.delta });
      }
    }
  }

  private call(call: ToolCallRequest, events: ModelEvent[]): void {
    this.toolCalls++;
    // Server-parsed names carry harmony debris too (`read_file<|channel|>commentary`, `functions.x`).
    const name = cleanToolName(call.name, this.knownTools);
    events.push({ type: 'tool_call', call: { ...call, name: this.qualifiedNames?.get(name) ?? name } });
  }
}

/** A non-empty string, or undefined. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
