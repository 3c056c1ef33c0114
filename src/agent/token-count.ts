// Counts tokens the way the model will: with the backend's own tokenizer when
// it has one (the embedded model), else with o200k_harmony, gpt-oss's
// encoding, for servers we only reach over HTTP. The tokenizer tables are
// loaded on the first count, so a short session never pays for them.
import type { ChatMessage, ModelBackend, ToolSpec } from '../model/backend.js';

export type TokenCounter = (text: string) => Promise<number>;

/** Harmony wraps each message in a start token, a header with role and channel, and an end token. */
const MESSAGE_OVERHEAD_TOKENS = 6;

export function tokenCounterFor(backend: ModelBackend): TokenCounter {
  if (backend.countTokens) return (text) => backend.countTokens!(text);
  let encoding: Promise<(text: string) => number> | undefined;
  return async (text) => {
    encoding ??= import('gpt-tokenizer/encoding/o200k_harmony').then(
      // Text that merely contains "<|end|>" is counted as text, as a server tokenizes message content.
      ({ countTokens }) =>
        (input: string) =>
          countTokens(input, { disallowedSpecial: new Set() }),
    );
    return (await encoding)(text);
  };
}

/** The text of a message that reaches the model, for counting. */
export function messageText(message: ChatMessage): string {
  switch (message.role) {
    case 'user':
      return message.content;
    case 'tool':
      return `${message.name}\n${message.content}`;
    case 'assistant':
      return [
        message.reasoning ?? '',
        message.preamble ?? '',
        message.content,
        ...(message.toolCalls ?? []).map((call) => `${call.name} ${call.arguments}`),
      ].join('\n');
  }
}

/**
 * Token counts of messages, each counted once: messages are never mutated
 * (a change replaces the object), so the object is the cache key.
 */
export class MessageTokens {
  private readonly counted = new WeakMap<ChatMessage, number>();

  constructor(private readonly count: TokenCounter) {}

  async of(message: ChatMessage): Promise<number> {
    const known = this.counted.get(message);
    if (known !== undefined) return known;
    const tokens = (await this.count(messageText(message))) + MESSAGE_OVERHEAD_TOKENS;
    this.counted.set(message, tokens);
    return tokens;
  }

  async total(messages: readonly ChatMessage[]): Promise<number> {
    let sum = 0;
    for (const message of messages) sum += await this.of(message);
    return sum;
  }
}

/**
 * A bound no tokenizer can exceed: every token covers at least one UTF-8 byte.
 * When even this fits, nothing needs counting.
 */
export function tokenUpperBound(instructions: string, tools: readonly ToolSpec[], messages: readonly ChatMessage[]) {
  let bytes = Buffer.byteLength(instructions) + Buffer.byteLength(JSON.stringify(tools));
  for (const message of messages) bytes += Buffer.byteLength(messageText(message)) + MESSAGE_OVERHEAD_TOKENS;
  return bytes;
}
