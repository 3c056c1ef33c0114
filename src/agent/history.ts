// Every way the conversation changes, as data: the loop applies these to its
// history and reports them, and a resumed session replays them from its log,
// so both arrive at the same messages.
import type { ChatMessage } from '../model/backend.js';

export type HistoryChange =
  /** A new message at the end (the user's prompt, the model's reply, a tool result). */
  | { op: 'append'; message: ChatMessage }
  /** One earlier message rewritten (an old tool output elided to save context). */
  | { op: 'replace'; index: number; message: ChatMessage }
  /** The whole conversation replaced (compaction). */
  | { op: 'reset'; messages: ChatMessage[] };

export function applyHistoryChange(history: ChatMessage[], change: HistoryChange): void {
  switch (change.op) {
    case 'append':
      history.push(change.message);
      return;
    case 'replace':
      if (change.index >= 0 && change.index < history.length) history[change.index] = change.message;
      return;
    case 'reset':
      // Not splice(0, n, ...messages): a long list spread as arguments overflows the call stack.
      const messages = change.messages.slice();
      history.length = 0;
      for (const message of messages) history.push(message);
      return;
  }
}

/**
 * Gives every tool call without a result one, so the conversation can be sent
 * again: a process killed between a call and its result leaves such a call,
 * and servers refuse a request with an unanswered call.
 */
export function closeDanglingToolCalls(history: readonly ChatMessage[], note: string): ChatMessage[] {
  const answered = new Set(history.flatMap((m) => (m.role === 'tool' ? [m.toolCallId] : [])));
  const out: ChatMessage[] = [];
  let missing: ChatMessage[] = [];
  for (const message of history) {
    // The missing results go after the ones that did arrive, before the next message.
    if (message.role !== 'tool') out.push(...missing.splice(0));
    out.push(message);
    if (message.role !== 'assistant') continue;
    missing = (message.toolCalls ?? [])
      .filter((call) => !answered.has(call.id))
      .map((call) => ({ role: 'tool', toolCallId: call.id, name: call.name, content: note }));
  }
  out.push(...missing);
  return out;
}

/**
 * The history as sent: reasoning is kept for the turn in progress (gpt-oss
 * needs it between tool calls) and dropped from turns that already ended.
 */
export function messagesForModel(history: readonly ChatMessage[], turnStart: number): ChatMessage[] {
  return history.map((message, index) => {
    if (index >= turnStart || message.role !== 'assistant' || message.reasoning === undefined) return message;
    const { reasoning: _dropped, ...rest } = message;
    return rest;
  });
}
