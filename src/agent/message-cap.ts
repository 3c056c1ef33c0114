// Bounds what the conversation keeps of one message. A pasted log, a tool
// call that writes megabytes, or a runaway answer must not make every later
// request (compaction and resumed sessions included) larger than the model's
// window. The tool call itself has already run with its whole arguments; only
// the copy kept for the model is cut, and the cut says so. Reasoning is left
// alone: it is dropped when its turn ends, and one generation's output is bounded.
import type { ChatMessage, ToolCallRequest } from '../model/backend.js';
import { estimateTokens, truncateForModel } from './truncate.js';

const USER_HINT = 'the message was too long to keep whole; ask the user for the part you need';
const TEXT_HINT = 'cut when it was kept in the conversation';
const ARGUMENT_HINT = 'cut when it was kept in the conversation; the call ran with all of it';

/** The message with each oversized part cut to about `maxTokens`; the same object when nothing was cut. */
export function capMessage(message: ChatMessage, maxTokens: number): ChatMessage {
  switch (message.role) {
    case 'user': {
      const content = capText(message.content, maxTokens, USER_HINT);
      return content === message.content ? message : { ...message, content };
    }
    case 'tool': {
      const content = capText(message.content, maxTokens, TEXT_HINT);
      return content === message.content ? message : { ...message, content };
    }
    case 'assistant': {
      const capped: Extract<ChatMessage, { role: 'assistant' }> = {
        ...message,
        content: capText(message.content, maxTokens, TEXT_HINT),
      };
      if (message.preamble !== undefined) capped.preamble = capText(message.preamble, maxTokens, TEXT_HINT);
      if (message.toolCalls) {
        // The calls of one message share the budget.
        const share = Math.max(1, Math.floor(maxTokens / message.toolCalls.length));
        capped.toolCalls = message.toolCalls.map((call) => capCall(call, share));
      }
      const changed =
        capped.content !== message.content ||
        capped.preamble !== message.preamble ||
        capped.toolCalls?.some((call, i) => call !== message.toolCalls![i]);
      return changed ? capped : message;
    }
  }
}

/** Text kept for the model (a tool's output, the model's answer) cut as a message of the history is. */
export function capKeptText(text: string, maxTokens: number): string {
  return capText(text, maxTokens, TEXT_HINT);
}

/**
 * A call's arguments as a tool got them (parsed JSON, or the raw text) cut as the history cuts the call's
 * argument text; the same value when they fit.
 */
export function capParsedArguments(args: unknown, maxTokens: number): unknown {
  if (typeof args === 'string') return capText(args, maxTokens, ARGUMENT_HINT);
  const text = JSON.stringify(args) ?? '';
  if (estimateTokens(text) <= maxTokens) return args;
  return JSON.parse(capArguments(text, maxTokens)) as unknown;
}

function capText(text: string, maxTokens: number, hint: string): string {
  return estimateTokens(text) <= maxTokens ? text : truncateForModel(text, maxTokens, hint).text;
}

function capCall(call: ToolCallRequest, maxTokens: number): ToolCallRequest {
  if (estimateTokens(call.arguments) <= maxTokens) return call;
  return { ...call, arguments: capArguments(call.arguments, maxTokens) };
}

/**
 * Arguments stay valid JSON, so servers that parse past calls accept them: the long
 * string values are cut in place. Text that is not a JSON object is kept, cut, as a string.
 */
function capArguments(text: string, maxTokens: number): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === 'object' && parsed !== null) {
    const strings = countStrings(parsed);
    const share = Math.max(16, Math.floor(maxTokens / Math.max(1, strings)));
    const cut = JSON.stringify(capStrings(parsed, share));
    if (estimateTokens(cut) <= maxTokens * 1.25) return cut;
  }
  return JSON.stringify({ cut_arguments: truncateForModel(text, maxTokens, ARGUMENT_HINT).text });
}

function countStrings(value: unknown): number {
  if (typeof value === 'string') return 1;
  if (typeof value !== 'object' || value === null) return 0;
  let count = 0;
  for (const item of Object.values(value)) count += countStrings(item);
  return count;
}

function capStrings(value: unknown, maxTokens: number): unknown {
  if (typeof value === 'string') return capText(value, maxTokens, ARGUMENT_HINT);
  if (Array.isArray(value)) return value.map((item) => capStrings(item, maxTokens));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, capStrings(item, maxTokens)]));
}
