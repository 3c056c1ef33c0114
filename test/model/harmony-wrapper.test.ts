// What the embedded backend's node-llama-cpp wrapper writes, against our own harmony renderer:
// the system and developer messages are the same text; the remaining differences are in how
// node-llama-cpp re-renders a call it did not generate itself, each rewritten here by name.
import { describe, expect, it } from 'vitest';
import type { ChatMessage, GenerateRequest } from '../../src/model/backend.js';
import { toFunctions } from '../../src/model/embedded-functions.js';
import { toChatHistory } from '../../src/model/embedded-history.js';
import { renderHarmonyPrompt } from '../../src/model/harmony/render.js';
import { createHarmonyWrapper } from '../../src/model/harmony-wrapper.js';
import { defaultTools } from '../../tools/default-tools.js';

const lib = await import('node-llama-cpp');

function wrapperPrompt(request: GenerateRequest): string {
  return createHarmonyWrapper(lib, request.reasoningEffort ?? 'medium')
    .generateContextState({
      chatHistory: [...toChatHistory(request.instructions, request.messages), { type: 'model', response: [] }],
      ...(request.tools.length > 0 ? { availableFunctions: toFunctions(request.tools)! } : {}),
    })
    .contextText.toString();
}

/**
 * A call the history holds only as name and arguments (no raw tokens from this process, e.g.
 * after a resume): node-llama-cpp writes no space before `<|constrain|>` and re-encodes the
 * arguments Python-style (`{"path": "x"}`); we write the arguments the model sent, after a space.
 */
function asNodeLlamaCppRewritesCalls(text: string): string {
  return text.replace(
    /to=(\S+) <\|constrain\|>json<\|message\|>(.*?)<\|call\|>/gs,
    (_, recipient: string, args: string) =>
      `to=${recipient}<|constrain|>json<|message|>${pythonJson(JSON.parse(args))}<|call|>`,
  );
}

function pythonJson(value: unknown): string {
  return JSON.stringify(value, null, 1)
    .split('\n')
    .map((line) => (line.trim().endsWith(',') ? `${line.trim()} ` : line.trim()))
    .join('');
}

const tools = defaultTools().map((tool) => ({
  name: tool.name,
  description: tool.description,
  parameters: tool.parameters,
}));

const turn: ChatMessage[] = [
  { role: 'user', content: 'One?' },
  { role: 'assistant', content: 'One.', reasoning: 'Earlier thought.' },
  { role: 'user', content: 'Where is main?' },
  {
    role: 'assistant',
    content: '',
    reasoning: 'Search for it.',
    preamble: 'Searching.',
    toolCalls: [{ id: 'a', name: 'grep', arguments: '{"pattern":"main","limit":5}' }],
  },
  { role: 'tool', toolCallId: 'a', name: 'grep', content: 'src/a.ts\n3: function main() {}' },
];

describe('the embedded wrapper against renderHarmonyPrompt', () => {
  it('writes the same system and developer messages for the agent tools, for each effort', () => {
    for (const effort of ['low', 'medium', 'high'] as const) {
      const request: GenerateRequest = {
        instructions: 'Be brief.',
        messages: [{ role: 'user', content: 'Say hi' }],
        tools,
        reasoningEffort: effort,
      };
      expect(wrapperPrompt(request)).toBe(renderHarmonyPrompt(request));
    }
  });

  it('heads the developer message `# Instructions` when there are no functions, as harmony does', () => {
    const request: GenerateRequest = {
      instructions: 'Summarize.',
      messages: [{ role: 'user', content: 'x' }],
      tools: [],
    };
    expect(wrapperPrompt(request)).toContain('<|start|>developer<|message|># Instructions\n\nSummarize.<|end|>');
    expect(wrapperPrompt(request)).toBe(renderHarmonyPrompt(request));
  });

  it('writes a tool round the same but for the re-rendered call, keeping the analysis we keep', () => {
    // The loop removes earlier turns' reasoning before the request reaches a backend.
    const messages = turn.map((m, i) => (i === 1 ? { ...m, reasoning: undefined } : m)) as ChatMessage[];
    const request: GenerateRequest = { instructions: 'Be brief.', messages, tools, reasoningEffort: 'high' };
    const ours = renderHarmonyPrompt(request);
    expect(ours).toContain('to=functions.grep <|constrain|>json<|message|>{"pattern":"main","limit":5}<|call|>');
    expect(wrapperPrompt(request)).toBe(asNodeLlamaCppRewritesCalls(ours));
  });
});
