// Keeps the conversation inside the model's context window. Before each
// generation the loop asks `fit`: under the limit (default 80% of the window)
// nothing happens; over it, older tool outputs are elided first (the newest
// ones, which the model is working from, stay), and if that is not enough the
// conversation is compacted into a summary. Every reduction is reported as an
// AgentEvent, and so is the context used after each generation.
import type {
  ChatMessage,
  GenerationUsage,
  ModelBackend,
  ReasoningEffort,
  ToolNamespaceSpec,
  ToolSpec,
} from '../model/backend.js';
import { compactedConversation, summarizeConversation } from './compaction.js';
import type { AgentEventSink, CompactionTrigger } from './events.js';
import { applyHistoryChange, messagesForModel, type HistoryChange } from './history.js';
import { capMessage } from './message-cap.js';
import { truncateForModel } from './truncate.js';
import { MessageTokens, tokenCounterFor, tokenUpperBound, type TokenCounter } from './token-count.js';

/** gpt-oss's trained context, when neither the config nor the backend says otherwise. */
export const DEFAULT_CONTEXT_SIZE = 131_072;
export const DEFAULT_COMPACT_AT = 0.8;
/** The most one generation writes unless configured: long enough for any answer or patch worth reading. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 32_768;
/** What a generation may always write, even when the count says the window is (nearly) full. */
const MIN_OUTPUT_TOKENS = 256;
/** Kept free below the window: our token count and the server's differ by the chat template. */
const OUTPUT_MARGIN = 0.02;
/** Elision aims this far below the limit, so it happens rarely (each one invalidates the model's cache). */
const ELIDE_TARGET_RATIO = 0.6;
/** Outputs smaller than this are kept: eliding them saves little and they are often the useful ones. */
const MIN_ELIDED_TOKENS = 200;
/** The system and developer messages' framing, beyond their text. */
const REQUEST_OVERHEAD_TOKENS = 256;
const ELIDED_PREFIX = '[Elided to save context:';
/** The longest summary (reasoning included), at most a quarter of the window. */
const SUMMARY_MAX_TOKENS = 8192;
/** The instruction to write the summary, with room to spare. */
const SUMMARY_PROMPT_TOKENS = 512;
/** The share of the window one message may keep (a pasted log, a tool call's arguments). */
const MESSAGE_SHARE = 0.5;
/** When even capped messages do not fit the summary's request, each is cut to this share of the room. */
const SUMMARY_MESSAGE_SHARE = 0.125;
/** Tries at cutting a compacted conversation that the tokenizer counts over its share (each cuts by the overshoot). */
const COMPACTED_FIT_ROUNDS = 4;
/** Taken off each further try, so one whose estimate is off by a rounding still ends under the share. */
const COMPACTED_FIT_SLACK = 16;
const LEFT_OUT_NOTE = (count: number) =>
  `[${count} earlier message(s) of this conversation were left out here: they did not fit the context window.]`;

/**
 * The tools one request declares. Each method that counts a request takes the list that request
 * is sent with: the tools can change between requests (MCP servers'), never within one.
 */
export interface RequestTools {
  tools: readonly ToolSpec[];
  /** The system-message namespaces (the native tool surface). */
  systemTools?: readonly ToolNamespaceSpec[];
}

export interface ContextOptions {
  backend: ModelBackend;
  instructions: string;
  /** Read at each compaction, so a change of effort (`/reasoning`) applies to the summary too. */
  reasoningEffort?: () => ReasoningEffort | undefined;
  emit: AgentEventSink;
  /** The window size from the config; it wins over what the backend reports. */
  contextSize?: number;
  /** Fraction of the window at which the context is reduced. */
  compactAt?: number;
  /** Injected for tests; defaults to the backend's tokenizer or o200k_harmony. */
  countTokens?: TokenCounter;
}

export interface ContextUsage {
  usedTokens: number;
  contextSize: number;
}

/** History changes to apply, and where the turn in progress now starts. */
export interface Fitted {
  changes: HistoryChange[];
  turnStart: number;
}

export type CompactionResult =
  | { ok: true; changes: HistoryChange[]; tokensBefore: number; tokensAfter: number }
  | { ok: false; aborted: boolean; message: string };

export class ContextKeeper {
  private readonly tokens: MessageTokens;
  /** The instructions' and tools' cost, for the tool list it was counted with (MCP servers change theirs). */
  private fixedTokens: { tools: string; tokens: number } | undefined;
  private reportedSize: number | undefined;
  /** The window a server said it has when it refused a request as too long: never planned past again. */
  private serverLimit: number | undefined;
  /** The model's own count after its last generation, and the history it covered then. */
  private reported: { tokens: number; messages: number; turnStart: number } | undefined;

  constructor(private readonly options: ContextOptions) {
    this.tokens = new MessageTokens(options.countTokens ?? tokenCounterFor(options.backend));
  }

  /** The window: the config's, else the one the backend reported, else gpt-oss's full context. */
  contextSize(): number {
    const size = this.plannedSize();
    return this.serverLimit ? Math.min(size, this.serverLimit) : size;
  }

  /** A server refused a request as too long for its window of `tokens`: plan for that window from now on. */
  noteServerLimit(tokens: number): void {
    this.serverLimit = tokens;
    this.reported = undefined;
  }

  private plannedSize(): number {
    if (this.options.contextSize) return this.options.contextSize;
    const status = this.options.backend.status?.();
    if (status?.state === 'ready' && status.contextSize) return status.contextSize;
    return this.reportedSize ?? DEFAULT_CONTEXT_SIZE;
  }

  limit(): number {
    return Math.floor(this.contextSize() * (this.options.compactAt ?? DEFAULT_COMPACT_AT));
  }

  /** The most tokens the next generation may write: the cap, and no more than the window has left. */
  async outputLimit(
    tools: RequestTools,
    history: readonly ChatMessage[],
    turnStart: number,
    cap = DEFAULT_MAX_OUTPUT_TOKENS,
  ) {
    const size = this.contextSize();
    const free = size - (await this.measure(tools, history, turnStart)) - Math.ceil(size * OUTPUT_MARGIN);
    return Math.max(Math.min(cap, MIN_OUTPUT_TOKENS), Math.min(cap, free));
  }

  /** The most tokens one message keeps in the history; more is cut when it is added. */
  messageLimit(): number {
    return Math.floor(this.contextSize() * MESSAGE_SHARE);
  }

  /** After each generation: remembers what the model reported and tells the UI. */
  noteGeneration(usage: GenerationUsage, history: readonly ChatMessage[], turnStart: number): void {
    if (usage.contextSize) this.reportedSize = usage.contextSize;
    const tokens = usage.promptTokens + (usage.cachedPromptTokens ?? 0) + usage.outputTokens;
    if (tokens === 0) return;
    this.reported = { tokens, messages: history.length, turnStart };
    this.options.emit({ type: 'context.usage', usedTokens: tokens, contextSize: this.contextSize() });
  }

  /** Tokens the next request would take with this history. */
  async measure(tools: RequestTools, history: readonly ChatMessage[], turnStart = history.length): Promise<number> {
    const messages = messagesForModel(history, turnStart);
    const own = (await this.fixed(tools)) + (await this.tokens.total(messages));
    const { reported } = this;
    // Valid while the same turn only grows: a new turn drops the last one's reasoning.
    if (!reported || reported.turnStart !== turnStart || reported.messages > history.length) return own;
    // The server's count includes template tokens ours cannot see; never claim less than it said.
    return Math.max(own, reported.tokens + (await this.tokens.total(messages.slice(reported.messages))));
  }

  async usage(tools: RequestTools, history: readonly ChatMessage[]): Promise<ContextUsage> {
    return { usedTokens: await this.measure(tools, history), contextSize: this.contextSize() };
  }

  /** Before a generation: elide, then compact, until the request fits under the limit. */
  async fit(
    tools: RequestTools,
    history: readonly ChatMessage[],
    turnStart: number,
    signal: AbortSignal,
  ): Promise<Fitted> {
    const limit = this.limit();
    const unchanged = { changes: [], turnStart };
    const bound = tokenUpperBound(this.options.instructions, allToolSpecs(tools), history) + REQUEST_OVERHEAD_TOKENS;
    if (bound <= limit && (this.reported?.tokens ?? 0) <= limit) return unchanged;
    const before = await this.measure(tools, history, turnStart);
    if (before <= limit) return unchanged;

    const target = Math.floor(limit * ELIDE_TARGET_RATIO);
    const { changes, tokens } = await this.elide(history, before, target);
    const elided = { changes, turnStart };
    if (changes.length > 0) {
      this.reported = undefined;
      const { emit } = this.options;
      emit({ type: 'context.elided', toolOutputs: changes.length, tokensBefore: before, tokensAfter: tokens });
      emit({ type: 'context.usage', usedTokens: tokens, contextSize: this.contextSize() });
    }
    if (tokens <= limit) return elided;

    const compacted = await this.compact(tools, withChanges(history, changes), turnStart, 'auto', signal);
    // A failed compaction is reported by `compact`; the turn goes on with what it has.
    return compacted.ok ? { changes: [...elided.changes, ...compacted.changes], turnStart: 0 } : elided;
  }

  /**
   * Replaces the conversation with the model's summary of it (also `/compact`).
   * The caller applies the changes; the history itself is left alone.
   */
  async compact(
    tools: RequestTools,
    history: readonly ChatMessage[],
    turnStart: number,
    trigger: CompactionTrigger,
    signal: AbortSignal,
  ): Promise<CompactionResult> {
    const { emit } = this.options;
    const tokensBefore = await this.measure(tools, history, turnStart);
    emit({ type: 'context.compacting', trigger, tokensBefore });
    const maxOutputTokens = Math.min(SUMMARY_MAX_TOKENS, Math.floor(this.contextSize() / 4));
    const room = this.contextSize() - maxOutputTokens - SUMMARY_PROMPT_TOKENS;
    const source =
      tokensBefore > room ? await this.shrink(tools, history, turnStart, tokensBefore, room) : { history, turnStart };
    const { backend, instructions } = this.options;
    const reasoningEffort = this.options.reasoningEffort?.();
    const outcome = await summarizeConversation({
      backend,
      instructions,
      tools: tools.tools,
      ...(tools.systemTools?.length ? { systemTools: tools.systemTools } : {}),
      emit,
      ...(reasoningEffort ? { reasoningEffort } : {}),
      messages: messagesForModel(source.history, source.turnStart),
      maxOutputTokens,
      signal,
    });
    if (!outcome.ok) {
      emit({ type: 'context.compaction_failed', trigger, message: outcome.reason });
      return { ok: false, aborted: outcome.aborted, message: outcome.reason };
    }
    const { messages, summary } = await this.compactedWithin(outcome.summary, history, maxOutputTokens);
    this.reported = undefined;
    const tokensAfter = await this.measure(tools, messages);
    emit({ type: 'context.compacted', trigger, tokensBefore, tokensAfter, summary });
    emit({ type: 'context.usage', usedTokens: tokensAfter, contextSize: this.contextSize() });
    return { ok: true, changes: [{ op: 'reset', messages }], tokensBefore, tokensAfter };
  }

  /**
   * The compacted conversation kept within one message's share of the window, counted with the real tokenizer:
   * a backend may ignore the summary's output limit, and the size estimate the cut uses may undercount.
   */
  private async compactedWithin(summary: string, history: readonly ChatMessage[], summaryTokens: number) {
    const limit = this.messageLimit();
    let messageTokens = limit;
    let compacted = compactedConversation(summary, history, { summaryTokens, messageTokens });
    for (let round = 0; round < COMPACTED_FIT_ROUNDS; round++) {
      const tokens = await this.tokens.total(compacted.messages);
      if (tokens <= limit) break;
      messageTokens = Math.max(1, Math.floor((messageTokens * limit) / tokens) - COMPACTED_FIT_SLACK);
      compacted = compactedConversation(summary, history, { summaryTokens, messageTokens });
    }
    return compacted;
  }

  /**
   * The conversation cut down to fit `room` tokens for the summary's request: all older tool
   * outputs elided, then every message capped, then the oldest left out (with a note saying so).
   */
  private async shrink(
    tools: RequestTools,
    history: readonly ChatMessage[],
    turnStart: number,
    tokens: number,
    room: number,
  ) {
    let shrunk = withChanges(history, (await this.elide(history, tokens, 0)).changes);
    const fixed = await this.fixed(tools);
    if (fixed + (await this.tokens.total(messagesForModel(shrunk, turnStart))) <= room) {
      return { history: shrunk, turnStart };
    }
    const perMessage = Math.max(64, Math.floor((room - fixed) * SUMMARY_MESSAGE_SHARE));
    shrunk = shrunk.map((message) => capForSummary(message, perMessage));
    const costs: number[] = [];
    for (const message of messagesForModel(shrunk, turnStart)) costs.push(await this.tokens.of(message));
    let total = fixed + costs.reduce((sum, cost) => sum + cost, 0);
    if (total <= room) return { history: shrunk, turnStart };
    total += await this.tokens.of({ role: 'user', content: LEFT_OUT_NOTE(shrunk.length) });
    let dropped = 0;
    // The last message stays: it is what the conversation was about most recently.
    while (dropped < shrunk.length - 1 && total > room) total -= costs[dropped++]!;
    // A tool result whose call was left out would be refused by servers.
    while (dropped < shrunk.length - 1 && shrunk[dropped]!.role === 'tool') dropped++;
    const note: ChatMessage = { role: 'user', content: LEFT_OUT_NOTE(dropped) };
    const rest = shrunk.slice(dropped);
    const first = rest[0];
    if (first?.role === 'tool') rest[0] = { role: 'user', content: `[Output of ${first.name}:]\n${first.content}` };
    return { history: [note, ...rest], turnStart: Math.max(0, turnStart - dropped) + 1 };
  }

  /** Elides tool outputs, oldest first, until the request is at most `target` tokens. */
  private async elide(history: readonly ChatMessage[], tokens: number, target: number) {
    const changes: HistoryChange[] = [];
    // The results after the model's last message are what it is working from now.
    const protectedFrom = history.findLastIndex((m) => m.role === 'assistant');
    for (let index = 0; index < protectedFrom && tokens > target; index++) {
      const message = history[index]!;
      if (message.role !== 'tool' || message.content.startsWith(ELIDED_PREFIX)) continue;
      const cost = await this.tokens.of(message);
      if (cost < MIN_ELIDED_TOKENS) continue;
      const replacement: ChatMessage = { ...message, content: elidedOutput(message.name, message.content, cost) };
      tokens -= cost - (await this.tokens.of(replacement));
      changes.push({ op: 'replace', index, message: replacement });
    }
    return { changes, tokens };
  }

  private async fixed({ tools, systemTools }: RequestTools): Promise<number> {
    const functions = JSON.stringify(tools);
    const namespaces = systemTools?.length ? JSON.stringify(systemTools) : '';
    const key = `${functions}\n${namespaces}`;
    if (this.fixedTokens?.tools === key) return this.fixedTokens.tokens;
    const tokens =
      (await this.tokens.total([{ role: 'user', content: this.options.instructions }])) +
      (await this.tokens.total([{ role: 'user', content: functions }])) +
      (namespaces ? await this.tokens.total([{ role: 'user', content: namespaces }]) : 0) +
      REQUEST_OVERHEAD_TOKENS;
    this.fixedTokens = { tools: key, tokens };
    return tokens;
  }
}

function allToolSpecs({ tools, systemTools }: RequestTools): readonly ToolSpec[] {
  return systemTools?.length ? [...tools, ...systemTools.flatMap((namespace) => namespace.tools)] : tools;
}

/** For the summary's request only: the reasoning of the turn in progress is cut too. */
function capForSummary(message: ChatMessage, maxTokens: number): ChatMessage {
  const capped = capMessage(message, maxTokens);
  if (capped.role !== 'assistant' || capped.reasoning === undefined) return capped;
  const reasoning = truncateForModel(capped.reasoning, maxTokens, 'cut to fit the summary request').text;
  return reasoning === capped.reasoning ? capped : { ...capped, reasoning };
}

function withChanges(history: readonly ChatMessage[], changes: readonly HistoryChange[]): ChatMessage[] {
  const copy = [...history];
  for (const change of changes) applyHistoryChange(copy, change);
  return copy;
}

function elidedOutput(tool: string, output: string, tokens: number): string {
  const first = (output.split('\n', 1)[0] ?? '').slice(0, 120);
  return `${ELIDED_PREFIX} this ${tool} output (about ${tokens} tokens) began "${first}". Call the tool again if you need it.]`;
}
