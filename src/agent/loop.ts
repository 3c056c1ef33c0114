// The agent loop: generate → tool call → approval → execute → result →
// generate, until the model answers, the user interrupts, or the turn's
// budget of tool calls is used. It reports everything as AgentEvents and
// never imports React.
import {
  emptyUsage,
  type ChatMessage,
  type GenerationUsage,
  type ModelBackend,
  type ModelEvent,
  type ModelFailure,
  type ReasoningEffort,
  type StopReason,
  type ToolCallRequest,
} from '../model/backend.js';
import type { AppliedChangeSet } from '../../tools/file-changes.js';
import type { ToolRegistry } from '../../tools/registry.js';
import type { ToolContext, ToolServices } from '../../tools/tool.js';
import { ArgumentValidator } from '../../tools/validate-arguments.js';
import type { Workspace } from '../../tools/workspace.js';
import { createApprovalGate, type ApprovalGate } from './approval-gate.js';
import type { ApprovalMode, ApprovalRule, Approver } from './approvals.js';
import type { AgentEventSink, TurnStopReason, TurnUsage } from './events.js';
import { ToolCallRunner } from './tool-calls.js';
import { WorkingSet } from './working-set.js';

export const DEFAULT_MAX_STEPS = 50;
export const DEFAULT_TOOL_OUTPUT_TOKENS = 4000;

export interface AgentOptions {
  backend: ModelBackend;
  tools: ToolRegistry;
  workspace: Workspace;
  /** The system prompt (see instructions.ts). */
  instructions: string;
  approvalMode: ApprovalMode;
  approver: Approver;
  emit: AgentEventSink;
  /** Rules granted earlier (saved for the project); "always" answers add to them. */
  rules?: ApprovalRule[];
  unsandboxedAllowed?: boolean;
  reasoningEffort?: ReasoningEffort;
  /** Tool calls allowed in one turn. */
  maxSteps?: number;
  /** Tool outputs longer than this many tokens are cut, keeping head and tail. */
  toolOutputTokens?: number;
  /** Services every tool call gets (cache directory, sandbox). */
  toolServices?: ToolServices;
  /** Told about every change a tool applied (undo, the session diff, the symbol index). */
  onChangesApplied?: (changes: AppliedChangeSet) => void;
  /** Injected for tests; milliseconds. */
  now?: () => number;
}

export interface TurnResult {
  stopReason: TurnStopReason;
  answer: string;
  usage: TurnUsage;
  error?: ModelFailure;
}

interface GenerationResult {
  answer: string;
  preamble: string;
  reasoning: string;
  toolCalls: ToolCallRequest[];
  stopReason: StopReason;
  usage: GenerationUsage;
  error?: ModelFailure;
}

export class Agent {
  /** The conversation so far, as the model sees it (reasoning of past turns is dropped when sent). */
  readonly history: ChatMessage[] = [];
  approvalMode: ApprovalMode;
  readonly rules: ApprovalRule[];
  private turns = 0;
  private readonly runner: ToolCallRunner;
  private readonly gate: ApprovalGate;
  private readonly now: () => number;
  private readonly workingSet = new WorkingSet();

  constructor(private readonly options: AgentOptions) {
    this.approvalMode = options.approvalMode;
    this.rules = options.rules ?? [];
    this.now = options.now ?? (() => performance.now());
    this.gate = createApprovalGate({
      mode: () => this.approvalMode,
      rules: this.rules,
      approver: options.approver,
      emit: options.emit,
      ...(options.unsandboxedAllowed ? { unsandboxedAllowed: true } : {}),
    });
    this.runner = new ToolCallRunner(
      options.tools,
      new ArgumentValidator(),
      options.toolOutputTokens ?? DEFAULT_TOOL_OUTPUT_TOKENS,
    );
  }

  async runTurn(prompt: string, signal: AbortSignal = new AbortController().signal): Promise<TurnResult> {
    const { emit } = this.options;
    const started = this.now();
    const turnStart = this.history.length;
    this.history.push({ role: 'user', content: prompt });
    this.runner.resetRepeats();
    emit({ type: 'turn.started', turn: ++this.turns, prompt });

    const usage: TurnUsage = {
      promptTokens: 0,
      cachedPromptTokens: 0,
      outputTokens: 0,
      generations: 0,
      toolCalls: 0,
      durationMs: 0,
    };
    const finish = (stopReason: TurnStopReason, answer: string, error?: ModelFailure): TurnResult => {
      usage.durationMs = Math.round(this.now() - started);
      emit({ type: 'turn.completed', stopReason, answer, usage, ...(error ? { error } : {}) });
      return { stopReason, answer, usage, ...(error ? { error } : {}) };
    };

    const maxSteps = this.options.maxSteps ?? DEFAULT_MAX_STEPS;
    for (;;) {
      const generation = await this.generate(turnStart, signal);
      addUsage(usage, generation.usage);
      const message: ChatMessage = {
        role: 'assistant',
        content: generation.answer,
        ...(generation.preamble ? { preamble: generation.preamble } : {}),
        ...(generation.reasoning ? { reasoning: generation.reasoning } : {}),
        // Calls from an interrupted or failed generation are never run, so they are not kept either.
        ...(generation.toolCalls.length > 0 && generation.stopReason !== 'aborted' && generation.stopReason !== 'error'
          ? { toolCalls: generation.toolCalls }
          : {}),
      };
      if (message.content || message.toolCalls || message.preamble) this.history.push(message);

      if (generation.stopReason === 'error') return finish('error', generation.answer, generation.error);
      if (generation.stopReason === 'aborted' || signal.aborted) return finish('aborted', generation.answer);
      if (generation.toolCalls.length === 0) return finish('answer', generation.answer);

      for (const call of generation.toolCalls) {
        if (signal.aborted) {
          this.pushToolResult(call, 'Not run: the user interrupted.');
          continue;
        }
        if (usage.toolCalls >= maxSteps) {
          this.pushToolResult(call, `Not run: this turn has used its budget of ${maxSteps} tool calls.`);
          continue;
        }
        usage.toolCalls++;
        await this.runToolCall(call, signal);
      }
      if (signal.aborted) return finish('aborted', '');
      if (usage.toolCalls >= maxSteps) {
        return finish('max_steps', '');
      }
    }
  }

  private async generate(turnStart: number, signal: AbortSignal): Promise<GenerationResult> {
    const { backend, tools, instructions, reasoningEffort } = this.options;
    const result: GenerationResult = {
      answer: '',
      preamble: '',
      reasoning: '',
      toolCalls: [],
      stopReason: 'error',
      usage: emptyUsage(),
    };
    const stream = backend.generate({
      instructions,
      messages: messagesForModel(this.history, turnStart),
      tools: tools.specs(),
      ...(reasoningEffort ? { reasoningEffort } : {}),
      signal,
    });
    try {
      for await (const event of stream) this.handleModelEvent(event, result);
    } catch (error) {
      // A backend should end with an error event rather than throw; this keeps the session alive if one does not.
      result.stopReason = signal.aborted ? 'aborted' : 'error';
      result.error = { message: `The model backend failed: ${(error as Error).message}` };
    }
    return result;
  }

  private handleModelEvent(event: ModelEvent, result: GenerationResult): void {
    const { emit } = this.options;
    switch (event.type) {
      case 'reasoning':
        result.reasoning += event.delta;
        emit({ type: 'reasoning.delta', delta: event.delta });
        break;
      case 'preamble':
        result.preamble += event.delta;
        emit({ type: 'preamble.delta', delta: event.delta });
        break;
      case 'answer':
        result.answer += event.delta;
        emit({ type: 'answer.delta', delta: event.delta });
        break;
      case 'tool_call':
        result.toolCalls.push(event.call);
        break;
      case 'notice':
        emit({ type: 'model.notice', message: event.message });
        break;
      case 'end':
        result.stopReason = event.stopReason;
        result.usage = event.usage;
        if (event.error) result.error = event.error;
        emit({ type: 'generation.completed', usage: event.usage });
        break;
    }
  }

  private async runToolCall(call: ToolCallRequest, signal: AbortSignal): Promise<void> {
    const { emit } = this.options;
    const prepared = await this.runner.prepare(call);
    emit({ type: 'tool.call', id: call.id, name: call.name, arguments: prepared.args, summary: prepared.summary });
    const started = this.now();
    const ctx: ToolContext = {
      ...this.options.toolServices,
      workspace: this.options.workspace,
      signal,
      ask: (request) => this.gate(call.id, request, signal),
      onChangesApplied: (changes) => {
        this.workingSet.noteChanges(changes);
        this.options.onChangesApplied?.(changes);
      },
      recentPaths: this.workingSet.recent(),
    };
    const { result, truncated } = await this.runner.run(prepared, ctx);
    if (!result.isError) this.workingSet.noteCall(prepared.args);
    this.pushToolResult(call, result.output);
    emit({
      type: 'tool.result',
      id: call.id,
      name: call.name,
      ok: !result.isError,
      output: result.output,
      truncated,
      durationMs: Math.round(this.now() - started),
      ...(result.summary ? { summary: result.summary } : {}),
      ...(result.data !== undefined ? { data: result.data } : {}),
    });
  }

  private pushToolResult(call: ToolCallRequest, content: string): void {
    this.history.push({ role: 'tool', toolCallId: call.id, name: call.name, content });
  }
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

function addUsage(total: TurnUsage, usage: GenerationUsage): void {
  total.generations++;
  total.promptTokens += usage.promptTokens;
  total.cachedPromptTokens += usage.cachedPromptTokens ?? 0;
  total.outputTokens += usage.outputTokens;
  if (usage.tokensPerSecond !== undefined) total.tokensPerSecond = usage.tokensPerSecond;
  total.contextTokens = usage.promptTokens + (usage.cachedPromptTokens ?? 0) + usage.outputTokens;
  if (usage.contextSize !== undefined) total.contextSize = usage.contextSize;
}
