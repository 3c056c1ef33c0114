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
  type PreparedContext,
  type ReasoningEffort,
  type StopReason,
  type ToolCallRequest,
} from '../model/backend.js';
import { newToolCallId } from '../model/tool-call-assembler.js';
import type { ToolRegistry, ToolSnapshot } from '../../tools/registry.js';
import type { ApprovalOutcome, ToolContext, ToolResult, ToolServices } from '../../tools/tool.js';
import { ArgumentValidator } from '../../tools/validate-arguments.js';
import type { Workspace } from '../../tools/workspace/workspace.js';
import { createApprovalGate, type ApprovalGate } from './approval-gate.js';
import { allListeners, tellListener, type ChangeListener } from './change-listeners.js';
import type { ApprovalMode, ApprovalRule, Approver } from './approvals.js';
import {
  ContextKeeper,
  type CompactionResult,
  type ContextOptions,
  type ContextUsage,
  type RequestTools,
} from './context.js';
import type { AgentEventSink, TurnStopReason, TurnUsage } from './events.js';
import { applyHistoryChange, messagesForModel, type HistoryChange } from './history.js';
import { AnswerStream } from './answer-stream.js';
import { correctionFor, findProblem, type GenerationProblem } from './generation-check.js';
import { recoverTextCall } from './text-call-recovery.js';
import { noLongerOffered, readArguments, stillOffered, ToolCallRunner } from './tool-calls.js';
import { capMessage } from './message-cap.js';
import { WorkingSet } from './working-set.js';

export const DEFAULT_MAX_STEPS = 50;
export const DEFAULT_TOOL_OUTPUT_TOKENS = 4000;
/** Tries for a generation that comes out malformed (empty, harmony debris, arguments not JSON). */
export const DEFAULT_GENERATION_TRIES = 3;

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
  /** Saves a command rule for the project when the user asks for that. */
  saveRule?: (rule: ApprovalRule) => Promise<void>;
  reasoningEffort?: ReasoningEffort;
  /** Tool calls allowed in one turn. */
  maxSteps?: number;
  /** Samples of one generation when it comes out malformed, the first included (default 3). */
  generationTries?: number;
  /** The most tokens one generation may write (see ContextKeeper.outputLimit). */
  maxOutputTokens?: number;
  /** Tool outputs longer than this many tokens are cut, keeping head and tail. */
  toolOutputTokens?: number;
  /** Services every tool call gets (cache directory, sandbox). */
  toolServices?: ToolServices;
  /** Told about every change a tool applied (undo, the session diff, the fix's tally); see change-listeners.ts. */
  onChangesApplied?: ChangeListener;
  /** The conversation to continue (a resumed session) and how many turns it had. */
  history?: readonly ChatMessage[];
  turns?: number;
  /** Told about every change to the history, as it happens (the session log). */
  onHistoryChange?: (change: HistoryChange) => void;
  /** The context window and when to reduce it (see context.ts). */
  context?: Pick<ContextOptions, 'contextSize' | 'compactAt' | 'countTokens'>;
  /** Injected for tests; milliseconds. */
  now?: () => number;
}

export interface TurnOptions {
  /** What the transcript shows as the prompt when the model gets more (the files an @path attached). */
  shown?: string;
  /**
   * The answer must be JSON matching this schema. Such a turn offers no
   * tools, so the constraint falls on the final answer only: llama-server
   * and node-llama-cpp cannot constrain an answer while leaving tool calls
   * free, and a schema applied to a tool-calling generation would block the
   * calls. A mode that wants tools first runs a normal turn, then this one.
   */
  responseSchema?: Record<string, unknown>;
  /** What the turn is for, when a flow wrote the prompt and not the user (/fix, /init): shown instead of it. */
  title?: string;
}

/** What the user changes during a session (/mode, /reasoning); agents derived from one share it. */
interface LiveSettings {
  approvalMode: ApprovalMode;
  reasoningEffort: ReasoningEffort | undefined;
}

export interface TurnResult {
  stopReason: TurnStopReason;
  answer: string;
  usage: TurnUsage;
  error?: ModelFailure;
}

interface GenerationResult {
  /** The answer written before any tool call (what follows a call is dropped). */
  answer: string;
  /** What of the answer the user may see, and whether it held harmony debris. */
  stream: AnswerStream;
  /** The same for the preamble: debris in it is cut, never shown or kept. */
  preambleStream: AnswerStream;
  preamble: string;
  reasoning: string;
  toolCalls: ToolCallRequest[];
  stopReason: StopReason;
  usage: GenerationUsage;
  error?: ModelFailure;
  /** The output limit the generation was given. */
  maxOutputTokens: number;
}

/** Closes a turn the user interrupted, in the history the model reads. */
export const INTERRUPTED_NOTE = '[Interrupted by the user before this turn finished.]';

export class Agent {
  /** The conversation so far, as the model sees it (reasoning of past turns is dropped when sent). */
  readonly history: ChatMessage[];
  readonly rules: ApprovalRule[];
  private readonly settings: LiveSettings;
  private turns: number;
  private directCalls = 0;
  private readonly runner: ToolCallRunner;
  private readonly gate: ApprovalGate;
  private readonly context: ContextKeeper;
  private readonly now: () => number;
  private readonly workingSet = new WorkingSet();

  constructor(
    private readonly options: AgentOptions,
    shared?: LiveSettings,
  ) {
    this.history = [...(options.history ?? [])];
    this.turns = options.turns ?? 0;
    this.settings = shared ?? { approvalMode: options.approvalMode, reasoningEffort: options.reasoningEffort };
    this.rules = options.rules ?? [];
    this.now = options.now ?? (() => performance.now());
    this.gate = createApprovalGate({
      mode: () => this.approvalMode,
      rules: this.rules,
      approver: options.approver,
      emit: options.emit,
      ...(options.unsandboxedAllowed ? { unsandboxedAllowed: true } : {}),
      ...(options.saveRule ? { saveRule: options.saveRule } : {}),
    });
    this.runner = new ToolCallRunner(new ArgumentValidator(), options.toolOutputTokens ?? DEFAULT_TOOL_OUTPUT_TOKENS);
    this.context = new ContextKeeper({
      ...options.context,
      backend: options.backend,
      instructions: options.instructions,
      emit: options.emit,
      reasoningEffort: () => this.reasoningEffort,
    });
    this.capHistory();
  }

  /** A conversation saved before messages were capped (or with a smaller window) is capped now, and logged so. */
  private capHistory(): void {
    const limit = this.context.messageLimit();
    this.history.forEach((message, index) => {
      const capped = capMessage(message, limit);
      if (capped !== message) this.change({ op: 'replace', index, message: capped });
    });
  }

  get approvalMode(): ApprovalMode {
    return this.settings.approvalMode;
  }

  set approvalMode(mode: ApprovalMode) {
    this.settings.approvalMode = mode;
  }

  /** Read at every generation, so a change applies from the next one. */
  get reasoningEffort(): ReasoningEffort | undefined {
    return this.settings.reasoningEffort;
  }

  set reasoningEffort(effort: ReasoningEffort | undefined) {
    this.settings.reasoningEffort = effort;
  }

  /**
   * An agent for a flow of its own beside this one (the UI's /fix and /review): its own
   * tools, instructions and conversation; this agent's backend, workspace, services, limits
   * and granted rules, and its approval mode and reasoning effort, now and when they change.
   * Its events go to `emit` (by default this agent's); applied changes are reported to this
   * agent's listener and to `onChangesApplied`.
   */
  derive(options: {
    tools: ToolRegistry;
    instructions: string;
    emit?: AgentEventSink;
    onChangesApplied?: ChangeListener;
    toolServices?: Partial<ToolServices>;
  }): Agent {
    const { history: _history, turns: _turns, onHistoryChange: _log, ...shared } = this.options;
    return new Agent(
      {
        ...shared,
        tools: options.tools,
        instructions: options.instructions,
        emit: options.emit ?? shared.emit,
        rules: this.rules,
        toolServices: { ...shared.toolServices, ...options.toolServices },
        onChangesApplied: allListeners(shared.onChangesApplied, options.onChangesApplied),
      },
      this.settings,
    );
  }

  /** The most tokens one message keeps in the history (half the context window); the session log keeps as much. */
  messageLimit(): number {
    return this.context.messageLimit();
  }

  /** Context used by the conversation as it stands, for the status line. */
  contextUsage(): Promise<ContextUsage> {
    return this.context.usage(requestTools(this.options.tools.snapshot()), this.history);
  }

  /** `/compact`: replaces the conversation with a summary of it. Not while a turn runs. */
  async compact(signal: AbortSignal = new AbortController().signal): Promise<CompactionResult> {
    const tools = requestTools(this.options.tools.snapshot());
    const result = await this.context.compact(tools, this.history, this.history.length, 'manual', signal);
    if (result.ok) for (const change of result.changes) this.change(change);
    return result;
  }

  /** A message from the user's side that the model reads with the next turn (e.g. "the user undid …"). */
  addNote(text: string): void {
    this.change({ op: 'append', message: { role: 'user', content: text } });
  }

  /**
   * Lets the backend evaluate, while the user types, what the next turn's request starts with:
   * the conversation as it will be sent (ended turns without their reasoning). Call it when
   * the agent goes idle (after a turn, at start, after /clear or a note). Resolves undefined
   * when the backend cannot; a turn started meanwhile goes on from where it got to.
   */
  prepareNext(): Promise<PreparedContext | undefined> {
    const { backend, tools, instructions } = this.options;
    if (!backend.prepareNext) return Promise.resolve(undefined);
    const { reasoningEffort } = this;
    return backend.prepareNext({
      instructions,
      messages: messagesForModel(this.history, this.history.length),
      ...requestTools(tools.snapshot()),
      ...(reasoningEffort ? { reasoningEffort } : {}),
    });
  }

  /** Adds what the user did outside a turn (a command they ran) for the model to read with the next prompt. */
  addUserNote(text: string): void {
    this.change({ op: 'append', message: { role: 'user', content: text } });
  }

  /** Forgets the conversation; the next turn starts afresh with the same instructions and tools. */
  clearHistory(): void {
    this.change({ op: 'reset', messages: [] });
  }

  async runTurn(
    prompt: string,
    signal: AbortSignal = new AbortController().signal,
    options: TurnOptions = {},
  ): Promise<TurnResult> {
    const { emit } = this.options;
    const started = this.now();
    let turnStart = this.history.length;
    this.change({ op: 'append', message: { role: 'user', content: prompt } });
    this.runner.resetRepeats();
    emit({
      type: 'turn.started',
      turn: ++this.turns,
      prompt: options.shown ?? prompt,
      ...(options.title ? { title: options.title } : {}),
    });

    const usage: TurnUsage = {
      promptTokens: 0,
      cachedPromptTokens: 0,
      outputTokens: 0,
      generations: 0,
      malformedGenerations: 0,
      toolCalls: 0,
      durationMs: 0,
    };
    const finish = (stopReason: TurnStopReason, answer: string, error?: ModelFailure): TurnResult => {
      // Without a note the model would read the next prompt as following a finished turn.
      if (stopReason === 'aborted') {
        this.change({ op: 'append', message: { role: 'assistant', content: INTERRUPTED_NOTE } });
      }
      usage.durationMs = Math.round(this.now() - started);
      emit({ type: 'turn.completed', stopReason, answer, usage, ...(error ? { error } : {}) });
      return { stopReason, answer, usage, ...(error ? { error } : {}) };
    };

    const maxSteps = this.options.maxSteps ?? DEFAULT_MAX_STEPS;
    let corrected = false;
    let refitted = false;
    for (;;) {
      // One list of tools for the whole step: the budget, the request, the calls' checks and their runs.
      const step = this.options.tools.snapshot();
      turnStart = await this.fitContext(step, turnStart, signal);
      if (signal.aborted) return finish('aborted', '');
      const { generation, problem } = await this.usableGeneration(
        step,
        turnStart,
        signal,
        options.responseSchema,
        usage,
      );
      if (problem && problem.kind !== 'arguments') {
        // The tries are spent and nothing can be run or shown: tell the model once, then give up aloud.
        if (corrected) {
          return finish('error', '', {
            message: `The model gave no usable reply (${problem.summary}), even after being told.`,
            hint: 'Ask again or rephrase the request; the conversation so far is kept.',
          });
        }
        corrected = true;
        emit({
          type: 'model.notice',
          message: `The model's reply could not be used (${problem.summary}); telling it.`,
        });
        this.change({ op: 'append', message: { role: 'user', content: correctionFor(problem) } });
        continue;
      }
      if (problem) {
        emit({
          type: 'model.notice',
          message: `The model's reply could not be used (${problem.summary}); the tool result tells it.`,
        });
      }
      const calls = generation.toolCalls.length > 0;
      // Answer text beside a call was the model talking before it acted: kept as preamble, never as the answer.
      const preamble = calls ? generation.preamble + generation.answer : generation.preamble;
      const message: ChatMessage = {
        role: 'assistant',
        content: calls ? '' : keptAnswer(generation),
        ...(preamble ? { preamble } : {}),
        ...(generation.reasoning ? { reasoning: generation.reasoning } : {}),
        // Calls from an interrupted or failed generation are never run, so they are not kept either. A call cut at
        // the output limit is run: its broken arguments come back as an error that tells the model what happened.
        ...(generation.toolCalls.length > 0 && !['aborted', 'error'].includes(generation.stopReason)
          ? { toolCalls: generation.toolCalls }
          : {}),
      };
      if (message.content || message.toolCalls || message.preamble) this.change({ op: 'append', message });
      this.context.noteGeneration(generation.usage, this.history, turnStart);

      // The server's window is smaller than planned: fit the conversation to it (eliding, compacting) once, and go on.
      const window = generation.error?.contextSize;
      if (
        generation.stopReason === 'error' &&
        window &&
        !refitted &&
        !generation.answer &&
        !generation.toolCalls.length
      ) {
        refitted = true;
        this.context.noteServerLimit(window);
        emit({
          type: 'model.notice',
          message: `The server's context window is ${window} tokens; fitting the conversation to it.`,
        });
        continue;
      }
      if (generation.stopReason === 'error') return finish('error', generation.answer, generation.error);
      if (generation.stopReason === 'length' && generation.toolCalls.length === 0) {
        return finish('output_limit', generation.answer, outputLimitReached(generation.maxOutputTokens));
      }
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
        await this.runToolCall(call, signal, step);
      }
      if (signal.aborted) return finish('aborted', '');
      if (usage.toolCalls >= maxSteps) {
        return finish('max_steps', '');
      }
    }
  }

  /**
   * One generation, sampled again (up to `generationTries`) while it comes out malformed.
   * A call written as text is recovered first. Returns the last try and, when every try
   * was malformed, what was wrong with it.
   */
  private async usableGeneration(
    step: ToolSnapshot,
    turnStart: number,
    signal: AbortSignal,
    responseSchema: Record<string, unknown> | undefined,
    usage: TurnUsage,
  ): Promise<{ generation: GenerationResult; problem?: GenerationProblem }> {
    const { emit } = this.options;
    const tries = Math.max(1, this.options.generationTries ?? DEFAULT_GENERATION_TRIES);
    for (let attempt = 1; ; attempt++) {
      const generation = await this.generate(step, turnStart, signal, responseSchema);
      addUsage(usage, generation.usage);
      if (generation.stopReason === 'aborted' || generation.stopReason === 'error' || signal.aborted) {
        // What was held back is shown now, unless it was harmony debris, which is never shown or kept.
        const rest = generation.stream.finish();
        if (rest) emit({ type: 'answer.delta', delta: rest });
        generation.answer = generation.stream.shownText;
        return { generation };
      }
      if (!responseSchema && generation.toolCalls.length === 0) this.recoverTextCall(generation, step);
      const problem = findProblem(
        { ...generation, debris: generation.stream.debris },
        (call) => readArguments(step.resolve(call.name), call.arguments).ok,
      );
      if (!problem) {
        const rest = generation.toolCalls.length === 0 ? generation.stream.finish() : '';
        if (rest) emit({ type: 'answer.delta', delta: rest });
        return { generation };
      }
      usage.malformedGenerations++;
      if (attempt >= tries) return { generation, problem };
      emit({
        type: 'model.notice',
        message: `The model's reply could not be used (${problem.summary}); sampling it again (try ${attempt + 1} of ${tries}).`,
      });
    }
  }

  /** Turns a call the model wrote as text into a call, when it can be read only one way. */
  private recoverTextCall(generation: GenerationResult, step: ToolSnapshot): void {
    const recovered = recoverTextCall(generation.answer, generation.reasoning, step.specs());
    if (!recovered) return;
    generation.toolCalls.push({ id: newToolCallId(), name: recovered.name, arguments: recovered.arguments });
    generation.answer = '';
    this.options.emit({
      type: 'model.notice',
      message: `The model wrote a ${recovered.name} call as text in its ${recovered.from}; running it as a call.`,
    });
  }

  /** Elides or compacts when the next request would pass the limit; returns where the turn now starts. */
  private async fitContext(step: ToolSnapshot, turnStart: number, signal: AbortSignal): Promise<number> {
    const fitted = await this.context.fit(requestTools(step), this.history, turnStart, signal);
    for (const change of fitted.changes) this.change(change);
    return fitted.turnStart;
  }

  private change(change: HistoryChange): void {
    if (change.op === 'append')
      change = { op: 'append', message: capMessage(change.message, this.context.messageLimit()) };
    applyHistoryChange(this.history, change);
    this.options.onHistoryChange?.(change);
  }

  private async generate(
    step: ToolSnapshot,
    turnStart: number,
    signal: AbortSignal,
    responseSchema: Record<string, unknown> | undefined,
  ): Promise<GenerationResult> {
    const { backend, instructions } = this.options;
    const { reasoningEffort } = this;
    const messages = messagesForModel(this.history, turnStart);
    const tools = requestTools(step);
    const maxOutputTokens = await this.context.outputLimit(
      tools,
      this.history,
      turnStart,
      this.options.maxOutputTokens,
    );
    const result: GenerationResult = {
      answer: '',
      stream: new AnswerStream(!responseSchema),
      preambleStream: new AnswerStream(false),
      preamble: '',
      reasoning: '',
      toolCalls: [],
      stopReason: 'error',
      usage: emptyUsage(),
      maxOutputTokens,
    };
    const stream = backend.generate({
      instructions,
      messages,
      ...(responseSchema ? { tools: [] } : tools),
      maxOutputTokens,
      ...(responseSchema ? { responseSchema } : {}),
      ...(reasoningEffort ? { reasoningEffort } : {}),
      signal,
    });
    try {
      for await (const event of stream) {
        const counted =
          event.type === 'end' && event.usage.promptCountedLocally
            ? { ...event, usage: await this.withLocalPromptCount(event.usage, tools, turnStart) }
            : event;
        this.handleModelEvent(counted, result);
      }
    } catch (error) {
      // A backend should end with an error event rather than throw; this keeps the session alive if one does not.
      result.stopReason = signal.aborted ? 'aborted' : 'error';
      result.error = { message: `The model backend failed: ${(error as Error).message}` };
    }
    this.flushPreamble(result);
    result.answer = result.stream.usable;
    result.preamble = result.preambleStream.usable;
    return result;
  }

  /**
   * A server that reports no usage would leave the context meter, compaction and `exec --json`
   * at 0 prompt tokens: the request just sent is counted here instead.
   */
  private async withLocalPromptCount(
    usage: GenerationUsage,
    tools: RequestTools,
    turnStart: number,
  ): Promise<GenerationUsage> {
    try {
      return { ...usage, promptTokens: await this.context.measure(tools, this.history, turnStart) };
    } catch {
      return usage;
    }
  }

  /** Shows the preamble's held-back tail, once the generation is over (no-op the second time). */
  private flushPreamble(result: GenerationResult): void {
    const rest = result.preambleStream.finish();
    if (rest) this.options.emit({ type: 'preamble.delta', delta: rest });
  }

  private handleModelEvent(event: ModelEvent, result: GenerationResult): void {
    const { emit } = this.options;
    switch (event.type) {
      case 'reasoning':
        result.reasoning += event.delta;
        emit({ type: 'reasoning.delta', delta: event.delta });
        break;
      case 'preamble': {
        const shown = result.preambleStream.push(event.delta);
        if (shown) emit({ type: 'preamble.delta', delta: shown });
        break;
      }
      case 'answer': {
        const shown = result.stream.push(event.delta);
        if (shown) emit({ type: 'answer.delta', delta: shown });
        break;
      }
      case 'tool_call': {
        const shown = result.stream.noteCall();
        if (shown) emit({ type: 'answer.delta', delta: shown });
        result.toolCalls.push(event.call);
        break;
      }
      case 'notice':
        emit({ type: 'model.notice', message: event.message });
        break;
      case 'end':
        this.flushPreamble(result);
        result.stopReason = event.stopReason;
        result.usage = event.usage;
        if (event.error) result.error = event.error;
        emit({ type: 'generation.completed', usage: event.usage });
        break;
    }
  }

  private async runToolCall(call: ToolCallRequest, signal: AbortSignal, step: ToolSnapshot): Promise<void> {
    const result = await this.executeCall(call, signal, step);
    this.pushToolResult(call, result.output);
  }

  /**
   * Runs a tool outside the model's turn (the fix flow's own test runs): the
   * same validation, approval gate and events, but nothing enters the history.
   */
  callTool(name: string, args: unknown, signal: AbortSignal): Promise<ToolResult> {
    const call = { id: `${name}-${++this.directCalls}`, name, arguments: JSON.stringify(args) };
    return this.executeCall(call, signal, this.options.tools.snapshot());
  }

  /** `offered`: the tools of the request the call came back from; a tool gone from the registry since is not run. */
  private async executeCall(call: ToolCallRequest, signal: AbortSignal, offered: ToolSnapshot): Promise<ToolResult> {
    const { emit } = this.options;
    const prepared = await this.runner.prepare(call, offered, this.options.tools.snapshot());
    emit({ type: 'tool.call', id: call.id, name: call.name, arguments: prepared.args, summary: prepared.summary });
    const started = this.now();
    // The time the user takes to answer is not the tool's: it is taken off the duration.
    let waited = 0;
    // Set when the tool's server removed it while the user was deciding: the yes was for a tool no longer offered.
    let withdrawn: string | undefined;
    const ask = async (request: Parameters<ToolContext['ask']>[0]): Promise<ApprovalOutcome> => {
      if (withdrawn !== undefined) return { approved: false, by: 'policy', feedback: withdrawn };
      const asked = this.now();
      let outcome: ApprovalOutcome;
      try {
        outcome = await this.gate(call.id, request, signal);
      } finally {
        waited += this.now() - asked;
      }
      const { tool } = prepared;
      if (!outcome.approved || !tool) return outcome;
      const now = this.options.tools.snapshot();
      if (stillOffered(tool, now)) return outcome;
      withdrawn = noLongerOffered(tool, now);
      return { approved: false, by: 'policy', feedback: withdrawn };
    };
    const ctx: ToolContext = {
      ...this.options.toolServices,
      workspace: this.options.workspace,
      signal,
      ask,
      onChangesApplied: (changes) => {
        this.workingSet.noteChanges(changes);
        tellListener(this.options.onChangesApplied, changes, emit);
      },
      recentPaths: this.workingSet.recent(),
    };
    let { result, truncated } = await this.runner.run(prepared, ctx);
    if (withdrawn !== undefined) {
      // The tool stopped at the refusal; the model reads why, as for a call resolved after its tool was removed.
      const { run: _run, ...notRun } = prepared;
      ({ result, truncated } = await this.runner.run({ ...notRun, rejection: withdrawn }, ctx));
    }
    if (!result.isError) this.workingSet.noteCall(prepared.args);
    emit({
      type: 'tool.result',
      id: call.id,
      name: call.name,
      ok: !result.isError,
      output: result.output,
      truncated,
      durationMs: Math.max(0, Math.round(this.now() - started - waited)),
      ...(result.summary ? { summary: result.summary } : {}),
      ...(result.data !== undefined ? { data: result.data } : {}),
    });
    return result;
  }

  private pushToolResult(call: ToolCallRequest, content: string): void {
    this.change({ op: 'append', message: { role: 'tool', toolCallId: call.id, name: call.name, content } });
  }
}

/** A snapshot's tools as a request declares them; system-message namespaces only when there are some. */
function requestTools(tools: ToolSnapshot): RequestTools {
  const systemTools = tools.systemTools();
  return { tools: tools.specs(), ...(systemTools.length > 0 ? { systemTools } : {}) };
}

/** The answer as the history keeps it: one that was cut off says so, for the model's next turn. */
function keptAnswer(generation: GenerationResult): string {
  if (!generation.answer) return generation.answer;
  if (generation.stopReason === 'error') {
    return `${generation.answer}\n[Cut off here: ${generation.error?.message ?? 'the generation failed'}.]`;
  }
  if (generation.stopReason === 'length') {
    return `${generation.answer}\n[Cut off here: the output limit of ${generation.maxOutputTokens} tokens was reached.]`;
  }
  return generation.answer;
}

function outputLimitReached(tokens: number): ModelFailure {
  return {
    message: `The model's answer reached the output limit of ${tokens} tokens, so it stopped there.`,
    hint: 'Ask for a shorter answer or a smaller step, or raise the limit with --max-output-tokens (or maxOutputTokens in the config).',
  };
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
