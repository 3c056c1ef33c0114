// A request as the harmony prompt text gpt-oss reads, the same on every backend that
// takes a raw prompt. The text matches OpenAI's reference renderer (openai/harmony) except
// on purpose in four places, each checked by test/model/harmony-render.test.ts:
// - no `Current date:` line: the prompt must be byte-identical between runs, and a date
//   would also throw the KV cache away at midnight;
// - a tool call's header puts the channel before the recipient
//   (`<|channel|>commentary to=functions.x <|constrain|>json`), as the model writes it and as
//   harmony's format guide shows it, so re-rendered history reproduces the generated tokens;
//   for the same reason a call stays on the channel it was written on (gpt-oss calls from
//   `analysis` too) in the turn in progress;
// - the analysis of every turn that ended with a final answer is dropped (harmony's rule),
//   where the reference drops only what came before the first final answer, and only when
//   the last assistant message is one;
// - a call of such a finished turn is kept, on commentary, even when it was written on
//   `analysis` (the reference would drop it with the analysis, leaving its result alone).
// (./tool-docs.ts has a fifth: an argument object without properties is written `()`.)
// Text from users, files, tools and the model is never structure: the parts form keeps
// harmony's special tokens apart from it, so a tool result that contains `<|end|>` stays text.
import type { ChatMessage, GenerateRequest, ReasoningEffort, ToolCallRequest } from '../backend.js';
import { isStandaloneSystemTool, toolRecipient, type ToolCatalog } from './recipient.js';
import { renderFunctionsNamespace, renderToolsSection } from './tool-docs.js';

export type HarmonyRequest = Pick<
  GenerateRequest,
  'instructions' | 'messages' | 'tools' | 'systemTools' | 'reasoningEffort'
>;

export interface HarmonyRenderOptions {
  /** The system message's first line; gpt-oss was trained with OpenAI's. */
  modelIdentity?: string;
}

/** Harmony's structural tokens; everything else in a prompt is plain text. */
export type HarmonySpecialToken =
  '<|start|>' | '<|channel|>' | '<|constrain|>' | '<|message|>' | '<|end|>' | '<|call|>';

/** A piece of a prompt: plain text to tokenize as text, or one special token. */
export type HarmonyPart = string | { readonly special: HarmonySpecialToken };

export const DEFAULT_MODEL_IDENTITY = 'You are ChatGPT, a large language model trained by OpenAI.';
const KNOWLEDGE_CUTOFF = '2024-06';
const CHANNELS = '# Valid channels: analysis, commentary, final. Channel must be included for every message.';
const FUNCTIONS_CHANNEL_NOTE = "Calls to these tools must go to the commentary channel: 'functions'.";

/** The whole prompt, ending with `<|start|>assistant` for the model to go on from. */
export function renderHarmonyPrompt(request: HarmonyRequest, options: HarmonyRenderOptions = {}): string {
  return harmonyText(renderHarmonyPromptParts(request, options));
}

export function renderHarmonyPromptParts(request: HarmonyRequest, options: HarmonyRenderOptions = {}): HarmonyPart[] {
  return [...renderHarmonyHistoryParts(request, options), START, 'assistant'];
}

/**
 * Everything up to and including the last message. A later prompt starts with this text
 * as long as the conversation only grew and no turn ended in between (ending a turn drops
 * its analysis), so a prefix cache can reuse it.
 */
export function renderHarmonyHistory(request: HarmonyRequest, options: HarmonyRenderOptions = {}): string {
  return harmonyText(renderHarmonyHistoryParts(request, options));
}

export function renderHarmonyHistoryParts(request: HarmonyRequest, options: HarmonyRenderOptions = {}): HarmonyPart[] {
  return [...systemMessage(request, options), ...developerMessage(request), ...conversation(request.messages, request)];
}

/**
 * What every prompt continuing this conversation with a user message starts with: the
 * history, then `<|start|>user<|message|>` as `message('user', …)` writes it. A backend
 * can evaluate this before the user has finished typing.
 */
export function renderHarmonyNextUserParts(request: HarmonyRequest, options: HarmonyRenderOptions = {}): HarmonyPart[] {
  return [...renderHarmonyHistoryParts(request, options), START, 'user', MESSAGE];
}

/** The prompt as one string; the special tokens become their text. */
export function harmonyText(parts: readonly HarmonyPart[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : part.special)).join('');
}

function systemMessage(
  request: Pick<HarmonyRequest, 'tools' | 'systemTools' | 'reasoningEffort'>,
  options: HarmonyRenderOptions,
): HarmonyPart[] {
  const effort: ReasoningEffort = request.reasoningEffort ?? 'medium';
  const sections = [
    `${options.modelIdentity ?? DEFAULT_MODEL_IDENTITY}\nKnowledge cutoff: ${KNOWLEDGE_CUTOFF}`,
    `Reasoning: ${effort}`,
  ];
  const namespaces = [...(request.systemTools ?? [])].sort((a, b) => compareNames(a.name, b.name));
  if (namespaces.length > 0) sections.push(renderToolsSection(namespaces));
  sections.push(request.tools.length > 0 ? `${CHANNELS}\n${FUNCTIONS_CHANNEL_NOTE}` : CHANNELS);
  return message('system', sections.join('\n\n'));
}

/** Our instructions and the functions; nothing at all when there are neither. */
function developerMessage(request: Pick<HarmonyRequest, 'instructions' | 'tools'>): HarmonyPart[] {
  const sections: string[] = [];
  if (request.instructions !== '') sections.push('# Instructions', request.instructions);
  if (request.tools.length > 0) sections.push(renderFunctionsNamespace(request.tools));
  return sections.length > 0 ? message('developer', sections.join('\n\n')) : [];
}

/** The conversation's messages, with finished turns' analysis left out. */
function conversation(messages: readonly ChatMessage[], catalog: ToolCatalog): HarmonyPart[] {
  const lastFinal = lastFinalAnswer(messages);
  return messages.flatMap((item, index) => {
    switch (item.role) {
      case 'user':
        return message('user', item.content);
      case 'tool':
        return [
          START,
          `${toolRecipient(item.name, catalog)} to=assistant`,
          CHANNEL,
          'commentary',
          MESSAGE,
          item.content,
          END,
        ];
      case 'assistant':
        return assistantMessages(item, index > lastFinal, catalog);
    }
  });
}

type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

function assistantMessages(item: AssistantMessage, keepAnalysis: boolean, catalog: ToolCatalog): HarmonyPart[] {
  const out: HarmonyPart[] = [];
  if (keepAnalysis && item.reasoning) out.push(...message('assistant', item.reasoning, 'analysis'));
  if (item.preamble) out.push(...message('assistant', item.preamble, 'commentary'));
  for (const call of item.toolCalls ?? []) out.push(...callMessage(call, catalog, keepAnalysis));
  if (item.content) out.push(...message('assistant', item.content, 'final'));
  return out;
}

function callMessage(call: ToolCallRequest, catalog: ToolCatalog, inTurn: boolean): HarmonyPart[] {
  const recipient = toolRecipient(call.name, catalog);
  // A standalone system tool takes free text (as `python` takes code); JSON is marked as JSON.
  const json = !isStandaloneSystemTool(call.name, catalog) || isJson(call.arguments);
  // In the turn in progress, on the channel the model wrote it on, so the next prompt repeats the generated
  // tokens. A finished turn's analysis is dropped (and the cache with it); its calls stay, on commentary.
  const channel = (inTurn && call.channel) || 'commentary';
  const header: HarmonyPart[] = json
    ? [`${channel} to=${recipient} `, CONSTRAIN, 'json']
    : [`${channel} to=${recipient}`];
  return [START, 'assistant', CHANNEL, ...header, MESSAGE, call.arguments, { special: '<|call|>' }];
}

/** Index of the last assistant message that gave a final answer; -1 when none did. */
function lastFinalAnswer(messages: readonly ChatMessage[]): number {
  for (let index = messages.length - 1; index >= 0; index--) {
    const item = messages[index];
    if (item?.role === 'assistant' && item.content) return index;
  }
  return -1;
}

const START: HarmonyPart = Object.freeze({ special: '<|start|>' });
const CHANNEL: HarmonyPart = Object.freeze({ special: '<|channel|>' });
const CONSTRAIN: HarmonyPart = Object.freeze({ special: '<|constrain|>' });
const MESSAGE: HarmonyPart = Object.freeze({ special: '<|message|>' });
const END: HarmonyPart = Object.freeze({ special: '<|end|>' });

function message(role: string, content: string, channel?: string): HarmonyPart[] {
  return [START, role, ...(channel ? [CHANNEL, channel] : []), MESSAGE, content, END];
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** By UTF-16 code unit, as the reference's sorted map orders ASCII names. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
