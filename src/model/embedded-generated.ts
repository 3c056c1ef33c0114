// What the model generated, message by message, kept under the text our
// renderer writes for the same message. The model's tokens may differ from a
// fresh rendering (another header order, trailing spaces around arguments,
// a word split into other tokens); re-rendering them as generated keeps the
// next prompt equal to what the KV cache holds, so nothing is evaluated again.
import type { Token } from 'node-llama-cpp';
import type { ChatMessage } from './backend.js';
import type { PromptTokens } from './embedded-prompt.js';
import { messageGroups } from './embedded-prompt.js';
import { harmonyText, renderHarmonyHistoryParts } from './harmony/render.js';
import type { ToolCatalog } from './harmony/recipient.js';
import { HarmonyStreamParser } from './harmony-stream.js';

export interface GeneratedTokens {
  /** The role tokens after the prompt's last `<|start|>`, then every token the model generated or was fed. */
  tokens: readonly Token[];
  isStart(token: Token): boolean;
  /** `<|end|>`, `<|call|>`, `<|return|>`: where a message's content ends. */
  isTerminal(token: Token): boolean;
  detokenize(tokens: readonly Token[]): string;
}

export function rememberGenerated(prompt: PromptTokens, generated: GeneratedTokens, catalog: ToolCatalog): void {
  let message: Token[] = [];
  const flush = () => {
    const end = message.findIndex((token) => generated.isTerminal(token));
    const middle = end === -1 ? message : message.slice(0, end);
    const key = middle.length > 0 ? canonicalText(generated.detokenize(middle), catalog) : undefined;
    if (key !== undefined) prompt.remember(key, middle);
    message = [];
  };
  for (const token of generated.tokens) {
    if (generated.isStart(token)) flush();
    else message.push(token);
  }
  flush();
}

/** The text our renderer writes between `<|start|>` and the end token for what the model wrote there. */
export function canonicalText(generated: string, catalog: ToolCatalog): string | undefined {
  const parser = new HarmonyStreamParser();
  const events = [...parser.push(`<|start|>${generated}<|end|>`), ...parser.end()];
  if (events.length !== 1) return undefined;
  const event = events[0]!;
  const message: ChatMessage =
    event.type === 'tool_call'
      ? {
          role: 'assistant',
          content: '',
          toolCalls: [
            {
              id: '',
              name: event.name,
              arguments: event.arguments,
              ...(event.channel ? { channel: event.channel } : {}),
            },
          ],
        }
      : event.type === 'reasoning'
        ? { role: 'assistant', content: '', reasoning: event.delta }
        : event.type === 'preamble'
          ? { role: 'assistant', content: '', preamble: event.delta }
          : { role: 'assistant', content: event.delta };
  const parts = renderHarmonyHistoryParts({ instructions: '', messages: [message], ...catalog });
  const group = messageGroups(parts).at(-1);
  return group ? harmonyText(group.slice(1, -1)) : undefined;
}
