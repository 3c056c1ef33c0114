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
//
// The request's text was made inert (chat-request.ts), so a call's arguments may hold
// the model's copy of it: that is mapped back before the call runs, and a patch
// matches the file it copied from.
import type { ModelEvent, ToolCallRequest } from './backend.js';
import type { ReasoningField } from './chat-request.js';
import { restoreInertJsonText } from './harmony-inert-text.js';
import { HarmonyStreamParser, type HarmonyEvent } from './harmony-stream.js';
import { StreamDecoder } from './stream-decoder.js';
import { newToolCallId, ToolCallAssembler } from './tool-call-assembler.js';
import { cleanToolName } from './tool-name.js';

interface ChunkChoice extends Record<string, unknown> {
  index?: unknown;
  delta?: Record<string, unknown> | null;
  message?: Record<string, unknown> | null;
  finish_reason?: unknown;
}

export class ChatStreamDecoder extends StreamDecoder {
  /** The reasoning field this response used, if it sent any reasoning. */
  reasoningField: ReasoningField | undefined;

  private readonly content: HarmonyStreamParser;
  private readonly reasoning: HarmonyStreamParser;
  private readonly calls = new ToolCallAssembler();

  /**
   * @param knownTools the names calls may arrive with (see tool-name.ts).
   * @param qualifiedNames flattened system-tool names → the names the loop knows (chat-system-tools.ts).
   */
  constructor(
    now: () => number,
    private readonly knownTools?: ReadonlySet<string>,
    private readonly qualifiedNames?: ReadonlyMap<string, string>,
  ) {
    super(now);
    this.content = new HarmonyStreamParser('answer', knownTools);
    this.reasoning = new HarmonyStreamParser('reasoning', knownTools);
  }

  /** A chunk's delta, or a whole non-streamed completion's `message`, read the same way. */
  protected readBody(body: Record<string, unknown>): ModelEvent[] {
    const choice = this.firstChoice<ChunkChoice>(body);
    if (!choice) return [];
    const events: ModelEvent[] = [];
    const delta = choice.delta ?? choice.message;
    if (delta) this.readDelta(delta, events);
    this.noteFinish(choice.finish_reason);
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
    if (carried) this.outputArrived();
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
    events.push({
      type: 'tool_call',
      call: { ...call, name: this.qualifiedNames?.get(name) ?? name, arguments: restoreInertJsonText(call.arguments) },
    });
  }
}

/** A non-empty string, or undefined. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
