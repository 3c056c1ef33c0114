// Compaction: the model summarises the conversation (prompts/compact.md) and
// the summary, with the user's latest request kept word for word, replaces it.
// The request reuses the conversation as it was last sent, so the model's
// cache already holds all of it but the short instruction at the end.
import { promptText } from '../../tools/package/files.js';
import type { ChatMessage, ModelBackend, ReasoningEffort, ToolNamespaceSpec, ToolSpec } from '../model/backend.js';
import type { AgentEventSink } from './events.js';
import { fillTemplate } from './instructions.js';
import { estimateTokens, truncateForModel } from './truncate.js';

/** The user's request is kept verbatim up to this size (a pasted log can be huge). */
const REQUEST_MAX_TOKENS = 3000;
/** The request's share of the compacted message at most, so a small window still has room for the summary. */
const REQUEST_SHARE = 0.25;
/** What the note saying where text was cut adds beyond the budget it was cut to. */
const CUT_NOTE_TOKENS = 48;
const SUMMARY_CUT_HINT = 'the summary was longer than the conversation may keep';

export interface SummaryRequest {
  backend: ModelBackend;
  instructions: string;
  tools: readonly ToolSpec[];
  systemTools?: readonly ToolNamespaceSpec[];
  reasoningEffort?: ReasoningEffort;
  /** The conversation as the model was last sent it. */
  messages: readonly ChatMessage[];
  /** A runaway summary is cut off here; a good one is a small fraction of it. */
  maxOutputTokens: number;
  emit: AgentEventSink;
  signal: AbortSignal;
}

export type SummaryOutcome = { ok: true; summary: string } | { ok: false; aborted: boolean; reason: string };

export async function summarizeConversation(request: SummaryRequest): Promise<SummaryOutcome> {
  const { backend, emit, signal } = request;
  let answer = '';
  let preamble = '';
  let failure: string | undefined;
  let calledTools = false;
  try {
    for await (const event of backend.generate({
      instructions: request.instructions,
      messages: [...request.messages, { role: 'user', content: promptText('compact.md') }],
      // The same tools as every request, so the prompt prefix (and the model's cache of it) stays valid.
      tools: request.tools,
      ...(request.systemTools?.length ? { systemTools: request.systemTools } : {}),
      ...(request.reasoningEffort ? { reasoningEffort: request.reasoningEffort } : {}),
      maxOutputTokens: request.maxOutputTokens,
      signal,
    })) {
      if (event.type === 'answer') answer += event.delta;
      else if (event.type === 'preamble') preamble += event.delta;
      else if (event.type === 'tool_call') calledTools = true;
      else if (event.type === 'notice') emit({ type: 'model.notice', message: event.message });
      else if (event.type === 'end' && (event.stopReason === 'error' || event.stopReason === 'aborted')) {
        failure = event.error?.message ?? event.stopReason;
      }
    }
  } catch (error) {
    failure = (error as Error).message;
  }
  if (signal.aborted) return { ok: false, aborted: true, reason: 'interrupted' };
  if (failure) return { ok: false, aborted: false, reason: failure };
  // A model that calls a function anyway sometimes writes the summary as its preamble.
  const summary = (answer.trim() || preamble.trim()).trim();
  if (!summary) {
    return {
      ok: false,
      aborted: false,
      reason: calledTools ? 'the model called a tool instead of writing a summary' : 'the model wrote no summary',
    };
  }
  return { ok: true, summary };
}

export interface CompactedConversation {
  /** The one message that replaces the conversation. */
  messages: ChatMessage[];
  /** The summary as that message keeps it (cut, saying so, when it was too long). */
  summary: string;
}

export interface CompactedLimits {
  /** The most the summary keeps: what it was asked for, since a backend may write past its output limit. */
  summaryTokens: number;
  /** The most the whole message keeps: what any one message of the history may (about). */
  messageTokens: number;
}

/** The one message that replaces the conversation, within `limits`. */
export function compactedConversation(
  summary: string,
  history: readonly ChatMessage[],
  limits: CompactedLimits,
): CompactedConversation {
  const template = promptText('compacted.md');
  const requestTokens = Math.max(
    1,
    Math.min(REQUEST_MAX_TOKENS, Math.floor(limits.messageTokens * REQUEST_SHARE) - CUT_NOTE_TOKENS),
  );
  const request = truncateForModel(latestRequest(history), requestTokens, 'ask the user if the cut part matters');
  const frame = estimateTokens(template.replace('{{summary}}', '').replace('{{request}}', ''));
  const room = limits.messageTokens - frame - estimateTokens(request.text) - CUT_NOTE_TOKENS;
  const kept = truncateForModel(summary, Math.max(1, Math.min(limits.summaryTokens, room)), SUMMARY_CUT_HINT).text;
  return {
    messages: [{ role: 'user', content: fillTemplate(template, { summary: kept, request: request.text }) }],
    summary: kept,
  };
}

/** The user's last words; when that message is itself a compaction, the request it kept. */
function latestRequest(history: readonly ChatMessage[]): string {
  const last = history.findLast((m) => m.role === 'user')?.content ?? '';
  const template = promptText('compacted.md');
  const header = template.slice(0, template.indexOf('{{summary}}'));
  const marker = template.slice(
    template.indexOf('{{summary}}') + '{{summary}}'.length,
    template.indexOf('{{request}}'),
  );
  const at = last.lastIndexOf(marker);
  return last.startsWith(header) && at >= 0 ? last.slice(at + marker.length) : last;
}
