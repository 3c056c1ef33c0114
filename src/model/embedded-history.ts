// Our request (instructions + messages) as node-llama-cpp chat history.
// Everything the assistant did between two user messages becomes one model
// item (reasoning, preamble, tool calls with their results, the answer), as
// harmony renders a turn. What the model generated itself is re-rendered from
// node-llama-cpp's raw form of it, so the prompt reproduces the exact tokens
// already in the KV cache and only the new messages are evaluated.
import type {
  ChatHistoryItem,
  ChatModelFunctionCall,
  ChatModelResponse,
  ChatModelSegment,
  ChatModelSegmentType,
  LlamaTextJSON,
} from 'node-llama-cpp';
import type { ChatMessage } from './backend.js';

type ResponseItem = ChatModelResponse['response'][number];

/** The raw renderings of generated calls and segments, kept for as long as the history holds them. */
export class GeneratedRaw {
  private calls = new Map<string, LlamaTextJSON>();
  private segments = new Map<string, LlamaTextJSON>();

  rememberCall(id: string, raw: LlamaTextJSON | undefined): void {
    if (raw !== undefined) this.calls.set(id, raw);
  }

  rememberSegment(type: ChatModelSegmentType, text: string, raw: LlamaTextJSON | undefined): void {
    if (raw !== undefined) this.segments.set(segmentKey(type, text), raw);
  }

  /** Converts a request, then forgets what it no longer holds (earlier turns' reasoning, for one). */
  toChatHistory(instructions: string, messages: readonly ChatMessage[]): ChatHistoryItem[] {
    const usedCalls = new Map<string, LlamaTextJSON>();
    const usedSegments = new Map<string, LlamaTextJSON>();
    const history = toChatHistory(instructions, messages, {
      call: (id) => take(this.calls, usedCalls, id),
      segment: (type, text) => take(this.segments, usedSegments, segmentKey(type, text)),
    });
    this.calls = usedCalls;
    this.segments = usedSegments;
    return history;
  }
}

export interface RawLookup {
  call(id: string): LlamaTextJSON | undefined;
  segment(type: ChatModelSegmentType, text: string): LlamaTextJSON | undefined;
}

const NO_RAW: RawLookup = { call: () => undefined, segment: () => undefined };

export function toChatHistory(
  instructions: string,
  messages: readonly ChatMessage[],
  raw: RawLookup = NO_RAW,
): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  if (instructions !== '') history.push({ type: 'system', text: instructions });
  let turn: ChatModelResponse | undefined;
  const calls = new Map<string, ChatModelFunctionCall>();
  for (const message of messages) {
    if (message.role === 'user') {
      turn = undefined;
      history.push({ type: 'user', text: message.content });
      continue;
    }
    if (!turn) {
      turn = { type: 'model', response: [] };
      history.push(turn);
    }
    if (message.role === 'tool') {
      // harmony writes a result right after its call; one without a call has no place and is left out.
      const call = calls.get(message.toolCallId);
      if (call) call.result = message.content;
      continue;
    }
    const items: ResponseItem[] = [];
    if (message.reasoning) items.push(segment('thought', message.reasoning, raw));
    if (message.preamble) items.push(segment('comment', message.preamble, raw));
    for (const call of message.toolCalls ?? []) {
      const rawCall = raw.call(call.id);
      const item: ChatModelFunctionCall = {
        type: 'functionCall',
        name: call.name,
        params: parseArguments(call.arguments),
        result: undefined,
        ...(rawCall !== undefined ? { rawCall } : {}),
      };
      calls.set(call.id, item);
      items.push(item);
    }
    if (message.content) items.push(message.content);
    turn.response.push(...items);
  }
  return history;
}

function segment(type: ChatModelSegmentType, text: string, raw: RawLookup): ChatModelSegment {
  const rawText = raw.segment(type, text);
  return { type: 'segment', segmentType: type, text, ended: true, ...(rawText !== undefined ? { raw: rawText } : {}) };
}

/** Arguments the model wrote are JSON; anything else is kept as the text it was. */
function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function segmentKey(type: ChatModelSegmentType, text: string): string {
  return `${type}\n${text}`;
}

function take<V>(from: Map<string, V>, into: Map<string, V>, key: string): V | undefined {
  const value = from.get(key);
  if (value !== undefined) into.set(key, value);
  return value;
}
