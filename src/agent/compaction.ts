// Compaction: the model summarises the conversation (prompts/compact.md) and
// the summary, with the user's latest request kept word for word, replaces it.
// The request reuses the conversation as it was last sent, so the model's
// cache already holds all of it but the short instruction at the end.
import { promptText } from '../../tools/package/files.js';
import type { ChatMessage, ModelBackend, ReasoningEffort, ToolNamespaceSpec, ToolSpec } from '../model/backend.js';
import type { AgentEventSink } from './events.js';
import { fillTemplate } from './instructions.js';
import { truncateForModel } from './truncate.js';

/** The user's request is kept verbatim up to this size (a pasted log can be huge). */
const REQUEST_MAX_TOKENS = 3000;

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

/** The one message that replaces the conversation. */
export function compactedConversation(summary: string, history: readonly ChatMessage[]): ChatMessage[] {
  const request = truncateForModel(latestRequest(history), REQUEST_MAX_TOKENS, 'ask the user if the cut part matters');
  return [{ role: 'user', content: fillTemplate(promptText('compacted.md'), { summary, request: request.text }) }];
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
