// The interactive session behind the UI: it sets the agent up in the
// background (the prompt is on screen before that), runs one turn at a time
// and queues prompts typed meanwhile, answers approvals with what the user
// chose, runs slash commands, and reports everything to the UI as events.
import path from 'node:path';
import { alwaysRuleFor, type ApprovalMode, type Approver, type ApproverAnswer } from '../agent/approvals.js';
import type { AgentEvent, AgentEventSink, ApprovalRequest } from '../agent/events.js';
import type { InitResult } from '../agent/init-agents-md.js';
import type { Agent } from '../agent/loop.js';
import type { RecordedEvent } from '../agent/session.js';
import type { BackendStatus, ModelBackend, ModelFailure, ProbeResult, ReasoningEffort } from '../model/backend.js';
import { endpointHost } from '../model/endpoint.js';
import type { AppliedChangeSet } from '../../tools/changes/file-changes.js';
import type { ReviewView } from '../ui/review-view.js';
import type {
  ApprovalAnswer,
  ChoiceOption,
  GitInfo,
  SessionInfo,
  SlashCommandInfo,
  Tone,
  UiEvent,
  UiSession,
} from '../ui/session.js';
import type { AgentSetup, AgentSetupOptions } from './agent-setup.js';
import { approvalLabel } from './approval-label.js';
import type { OfferUi } from './model-offer.js';
import type { PromptHistory } from './prompt-history.js';
import { changeSetDiff, SessionChanges } from './session-changes.js';
import {
  customSlashCommand,
  parseSlashCommand,
  SLASH_COMMANDS,
  type CommandContext,
  type SlashCommand,
} from './slash-commands.js';
import { loadCustomCommands } from './custom-commands.js';
import { mcpStatusLines } from '../mcp/status-lines.js';

/** What the session needs from the mode: how to build the agent with the session's hooks. */
export type SetUp = (hooks: Pick<AgentSetupOptions, 'emit' | 'approver' | 'onChangesApplied'>) => Promise<AgentSetup>;

export interface InteractiveSessionOptions {
  setUp: SetUp;
  history: PromptHistory;
  /** The sandbox's state for the status line until the set-up has asked the sandbox itself. */
  sandbox: string;
  /** A prompt given on the command line, run as soon as the agent is ready. */
  firstPrompt?: string;
  /** Reads the branch and whether the work tree is dirty (readGitStatus; a stand-in in tests). */
  gitStatus: (root: string) => Promise<GitInfo | undefined>;
  /**
   * When setting up fails: whether to set up again after offering what was missing (the
   * model's download: offerModelDownload, loaded when needed). Without it the session ends.
   */
  offerModel?: (error: unknown, ui: OfferUi) => Promise<boolean>;
  /** `/fix [CMD]`: fixInSession, loaded when first used. */
  fixTests: (setup: AgentSetup, hooks: FlowHooks & { testCommand?: string | undefined }) => Promise<void>;
  /** `/review`: reviewInSession, loaded when first used. */
  reviewChanges: (
    setup: AgentSetup,
    hooks: FlowHooks & { emit: AgentEventSink; progress(text: string): void; show(review: ReviewView): void },
  ) => Promise<void>;
  /** `/init`: initInSession, loaded when first used. */
  initProject: (
    setup: AgentSetup,
    hooks: { approver: Approver; signal: AbortSignal; onChangesApplied: (changes: AppliedChangeSet) => void },
  ) => Promise<InitResult>;
}

/** What a flow run from a slash command gets from the session: esc aborts `signal`; `print` adds to the transcript. */
export interface FlowHooks {
  signal: AbortSignal;
  print(text: string, tone?: Tone): void;
}

/** How the session ended: the user left, or setting up failed (the error is for the CLI to report). */
export type SessionEnd = { kind: 'exit' } | { kind: 'failed'; error: unknown };

export class InteractiveSession implements UiSession {
  /** Custom commands, once read (after setup: the repository root is known then). */
  private custom: SlashCommand[] = [];
  private customLoaded = false;
  private readonly customReady: Promise<void>;
  private customDone!: () => void;

  /** Built-in commands, then the custom ones: what completion and /help offer (one array until they change). */
  get commands(): SlashCommandInfo[] {
    this.commandInfos ??= this.slashCommands().map(({ name, summary, args }) => ({
      name,
      summary,
      ...(args ? { args } : {}),
    }));
    return this.commandInfos;
  }

  private commandInfos: SlashCommandInfo[] | undefined;

  private slashCommands(): readonly SlashCommand[] {
    return this.custom.length === 0 ? SLASH_COMMANDS : [...SLASH_COMMANDS, ...this.custom];
  }
  /** Settles once, when the session ends. */
  readonly ended: Promise<SessionEnd>;
  private end!: (end: SessionEnd) => void;
  /** Resolves when the agent is set up; slash commands wait for it. */
  private readonly whenReady: Promise<AgentSetup>;
  private becameReady!: (setup: AgentSetup) => void;
  private readonly listeners = new Set<(event: UiEvent) => void>();
  /** Events sent before the UI subscribed. */
  private backlog: UiEvent[] | undefined = [];
  private setup: AgentSetup | undefined;
  private running: AbortController | undefined;
  /** The turn or task in progress, settled when it has ended. */
  private current: Promise<void> | undefined;
  private readonly queue: string[] = [];
  private approval: { request: ApprovalRequest; resolve: (answer: ApproverAnswer) => void } | undefined;
  private readonly confirms = new Map<string, (yes: boolean) => void>();
  private readonly choices = new Map<string, (index: number | undefined) => void>();
  private nextQuestionId = 1;
  private readonly changes = new SessionChanges();
  private git: { running: boolean; again: boolean } = { running: false, again: false };
  private closed = false;
  private unsubscribeStatus: (() => void) | undefined;
  /** For the status line: "on", "off", or the mode's guess until the sandbox is asked. */
  private sandbox: string;
  /** What the last check of the server found wrong, until a check or a turn gets through. */
  private endpointProblem: ModelFailure | undefined;
  /** Notes for the transcript right under the next prompt (what its @paths attached). */
  private afterPrompt: { text: string; tone: Tone }[] = [];
  private fileList: Promise<readonly string[]> | undefined;

  constructor(private readonly options: InteractiveSessionOptions) {
    this.ended = new Promise((resolve) => (this.end = resolve));
    this.whenReady = new Promise((resolve) => (this.becameReady = resolve));
    this.customReady = new Promise((resolve) => (this.customDone = resolve));
    this.sandbox = options.sandbox;
  }

  /** Sets the agent up in the background; the UI is already on screen. */
  start(): void {
    void this.options.history.load();
    this.setUpAgent().then(
      (setup) => this.ready(setup),
      (error: unknown) => this.finish({ kind: 'failed', error }),
    );
  }

  /** A missing model is offered for download first; setting up is tried again once it is there. */
  private async setUpAgent(): Promise<AgentSetup> {
    const hooks = {
      emit: (event: AgentEvent) => this.onAgentEvent(event),
      approver: (request: ApprovalRequest, signal: AbortSignal) => this.askUser(request, signal),
      onChangesApplied: (set: AppliedChangeSet) => this.onChangesApplied(set),
    };
    for (;;) {
      try {
        return await this.options.setUp(hooks);
      } catch (error) {
        if ((error as Error | undefined)?.name === 'NoModelError') {
          this.send({ type: 'model.status', status: { state: 'absent' } });
        }
        if (this.closed || !(await this.options.offerModel?.(error, this.taskUi()))) throw error;
      }
    }
  }

  /** Questions, a task with a progress line, and messages, for work outside the agent (the model's download). */
  private taskUi(): OfferUi {
    return {
      confirm: (title, body) => this.confirm(title, body),
      task: (label, work) =>
        this.runTask(label, (signal) => work(signal, (text) => this.send({ type: 'task.progress', text }))),
      print: (text, tone) => this.print(text, tone),
    };
  }

  /** The session log's id, once set up and worth resuming (the model answered or something changed). */
  get sessionId(): string | undefined {
    return this.setup?.session.kept ? this.setup.session.id : undefined;
  }

  subscribe(listener: (event: UiEvent) => void): () => void {
    this.listeners.add(listener);
    const backlog = this.backlog ?? [];
    this.backlog = undefined;
    for (const event of backlog) listener(event);
    return () => this.listeners.delete(listener);
  }

  submit(text: string): void {
    if (this.closed || text.trim() === '') return;
    this.options.history.add(text);
    this.dispatch(text);
  }

  /** A slash command, or a prompt for the queue. */
  private dispatch(text: string): void {
    const parsed = parseSlashCommand(text, this.slashCommands());
    if (parsed && 'unknown' in parsed && !this.customLoaded) {
      // Perhaps a custom command: they are read once the session is set up.
      void this.customReady.then(() => this.dispatch(text));
      return;
    }
    if (parsed && 'unknown' in parsed) {
      this.send({ type: 'input.echo', text });
      this.print(`Unknown command /${parsed.unknown}. /help lists the commands.`, 'error');
      return;
    }
    if (parsed) {
      this.send({ type: 'input.echo', text: text.trim() });
      void this.whenReady
        .then((setup) => parsed.command.run(parsed.args, this.commandContext(setup)))
        .catch((error: unknown) => this.print(`/${parsed.command.name} failed: ${(error as Error).message}`, 'error'))
        // /clear, /undo's note and /reasoning change what the next prompt starts with.
        .finally(() => this.prepareNext());
      return;
    }
    this.queue.push(text);
    this.pump();
  }

  interrupt(): void {
    if (!this.running || this.running.signal.aborted) return;
    this.send({ type: 'turn.interrupting' });
    this.running.abort();
    if (this.queue.length > 0) {
      const dropped = this.queue.splice(0);
      this.send({ type: 'queue.changed', queued: [] });
      this.print(`Not sent (↑ recalls it): ${dropped.map((text) => text.split('\n')[0]).join(' · ')}`, 'info');
    }
  }

  answerApproval(answer: ApprovalAnswer): void {
    const pending = this.approval;
    if (!pending) return;
    this.approval = undefined;
    const feedback = answer.feedback?.trim();
    const always = answer.approved && answer.always ? alwaysRuleFor(pending.request) : undefined;
    pending.resolve({
      approved: answer.approved,
      ...(feedback ? { feedback } : {}),
      ...(always ? { always } : {}),
      ...(always?.kind === 'exec' && answer.forProject ? { saveForProject: true } : {}),
    });
  }

  describeAlways(request: ApprovalRequest): string | undefined {
    const rule = alwaysRuleFor(request);
    switch (rule?.kind) {
      case undefined:
        return undefined;
      case 'commit':
        return 'git commits';
      case 'edit':
        return 'edits';
      case 'exec':
        return `commands starting with "${rule.prefix}"`;
      case 'tool':
        return `everything ${rule.tool} runs`;
      case 'mcp':
        return `${rule.pattern} calls`;
    }
  }

  /** Asks the user a yes/no question outside a turn (e.g. whether to download the model). */
  confirm(title: string, body?: string): Promise<boolean> {
    const id = `confirm-${this.nextQuestionId++}`;
    return new Promise((resolve) => {
      this.confirms.set(id, resolve);
      this.send({ type: 'confirm.requested', id, title, ...(body ? { body } : {}) });
    });
  }

  answerConfirm(id: string, yes: boolean): void {
    const resolve = this.confirms.get(id);
    if (!resolve) return;
    this.confirms.delete(id);
    this.send({ type: 'confirm.answered', id });
    resolve(yes);
  }

  /** Asks the user to choose one of `options` outside a turn; undefined when they pressed esc. */
  choose(title: string, options: ChoiceOption[], cancel: string, body?: string): Promise<number | undefined> {
    const id = `choice-${this.nextQuestionId++}`;
    return new Promise((resolve) => {
      this.choices.set(id, resolve);
      this.send({ type: 'choice.requested', id, title, options, cancel, ...(body ? { body } : {}) });
    });
  }

  answerChoice(id: string, index: number | undefined): void {
    const resolve = this.choices.get(id);
    if (!resolve) return;
    this.choices.delete(id);
    this.send({ type: 'choice.answered', id });
    resolve(index);
  }

  /** The repository's files for @mentions: listed once, on the first @ typed. */
  files(): Promise<readonly string[]> {
    this.fileList ??= this.whenReady.then(async (setup) =>
      (await import('./mention-files.js')).listMentionFiles(setup.workspace),
    );
    return this.fileList;
  }

  history(): readonly string[] {
    return this.options.history.list();
  }

  exit(): void {
    this.running?.abort();
    for (const [id, resolve] of this.confirms) {
      this.confirms.delete(id);
      resolve(false);
    }
    for (const [id, resolve] of this.choices) {
      this.choices.delete(id);
      resolve(undefined);
    }
    this.finish({ kind: 'exit' });
  }

  /** Tells the UI something (a startup note, a command's output). */
  print(text: string, tone: 'info' | 'warning' | 'error' = 'info', diff?: string): void {
    this.send({ type: 'message', tone, text, ...(diff ? { diff } : {}) });
  }

  /**
   * Lets an interrupted turn write its end to the session log (for a short while at most),
   * then closes the log and frees the model backend (one still being set up is freed when it arrives).
   */
  async dispose(): Promise<void> {
    this.unsubscribeStatus?.();
    if (this.current) await Promise.race([this.current, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    // A session the model never answered (a refused connection, a quick look) is not kept to be resumed.
    this.setup?.session.close({ dropIfEmpty: true });
    await Promise.all([this.setup?.backend.dispose(), this.setup?.mcp?.close(), this.options.history.flush()]);
  }

  /** Reads the custom commands; the UI offers them from its next frame on. */
  private async loadCustom(setup: AgentSetup): Promise<void> {
    try {
      const { commands, notices } = await loadCustomCommands({
        root: setup.workspace.root,
        configDir: path.dirname(setup.loaded.files.user),
        builtIn: SLASH_COMMANDS.map((command) => command.name),
      });
      this.custom = commands.map(customSlashCommand);
      this.commandInfos = undefined;
      for (const notice of notices) this.print(`note: ${notice}`, 'warning');
      if (commands.length > 0) this.send({ type: 'session.info', info: {} });
    } catch (error) {
      this.print(`Custom commands could not be read: ${(error as Error).message}`, 'warning');
    } finally {
      this.customLoaded = true;
      this.customDone();
    }
  }

  private ready(setup: AgentSetup): void {
    if (this.closed) {
      setup.session.close({ dropIfEmpty: true });
      void setup.backend.dispose();
      void setup.mcp?.close();
      return;
    }
    this.setup = setup;
    this.becameReady(setup);
    const { backend, workspace, loaded } = setup;
    this.send({ type: 'session.info', info: this.info() });
    this.followStatus(backend);
    void this.checkEndpoint(backend);
    if (setup.session.resumed) this.replay(setup.session.events);
    for (const note of setup.session.notes) this.print(`note: ${note}`, 'warning');
    for (const warning of loaded.warnings) this.print(`warning: ${warning}`, 'warning');
    if (!workspace.isGitRepo) {
      this.print(`${workspace.root} is not a git repository: the agent works, but git does not track its changes.`);
    }
    this.reportSandbox(setup);
    this.refreshGit();
    void this.loadCustom(setup);
    if (this.options.firstPrompt?.trim()) this.submit(this.options.firstPrompt);
    else this.pump();
  }

  /** Whether commands run inside the sandbox, and if not, why and how to get it. */
  private reportSandbox(setup: AgentSetup): void {
    void setup.services.sandbox?.state().then((state) => {
      if (this.closed) return;
      this.sandbox = state.sandboxed ? 'on' : 'off';
      this.send({ type: 'session.info', info: { sandbox: this.sandbox } });
      if (!state.sandboxed) {
        // Then every command asks first, unless --no-sandbox made it the user's choice.
        this.print(`Commands run WITHOUT the sandbox: ${state.reason}${state.fix ? `\n${state.fix}` : ''}`, 'warning');
      } else if (state.warning) {
        this.print(`Sandbox: ${state.warning}.`, 'warning');
      }
    });
  }

  /** Redraws a resumed session's transcript: its finished turns, as they were shown, with their timings. */
  private replay(events: readonly RecordedEvent[]): void {
    const end = events.findLastIndex(({ event }) => event.type === 'turn.completed');
    this.send({ type: 'transcript.replay', events: events.slice(0, end + 1) });
    this.print(`Resumed session ${this.setup!.session.id}.`);
  }

  private info(): SessionInfo {
    const { agent, backend } = this.setup!;
    const { kind, model, endpoint } = backend.description;
    return {
      model,
      backend: kind === 'openai-compatible' && endpoint ? endpointHost(endpoint) : kind,
      approvalMode: approvalLabel(agent.approvalMode, agent.rules),
      reasoningEffort: agent.reasoningEffort ?? 'medium',
      sandbox: this.sandbox,
    };
  }

  private followStatus(backend: ModelBackend): void {
    const report = (status: BackendStatus) => {
      this.send({ type: 'model.status', status });
      if (status.state === 'failed') {
        this.print(`${status.error.message}${status.error.hint ? `\n${status.error.hint}` : ''}`, 'error');
      }
    };
    report(backend.status?.() ?? { state: 'ready' });
    this.unsubscribeStatus = backend.onStatus?.(report);
  }

  /**
   * Asks the server (in the background at start, and before the next prompt while it was
   * failing) whether it is up, takes the key and serves the model, so a problem shows before
   * the first prompt and clears without a restart once fixed.
   */
  private async checkEndpoint(backend: ModelBackend): Promise<void> {
    if (!backend.probe) return;
    const named = backend.description.model;
    const result: ProbeResult = await backend.probe().catch((error: unknown) => ({
      error: { message: `Could not check the server: ${(error as Error).message}` },
    }));
    if (this.closed) return;
    if (result.warning && !this.endpointProblem) this.print(result.warning, 'warning');
    if (!result.error) return this.endpointAnswered(backend, named);
    const again = this.endpointProblem?.message === result.error.message;
    this.endpointProblem = result.error;
    this.send({ type: 'model.status', status: { state: 'failed', error: result.error } });
    if (again) return;
    const { message, hint } = result.error;
    this.print(
      `${message}${hint ? `\n${hint}` : ''}\nOnce that is fixed, send a prompt: the server is checked again then, no restart needed.`,
      'error',
    );
  }

  /** The server answered: a problem reported earlier is over, and the model's name may now be known. */
  private endpointAnswered(backend: ModelBackend, named?: string): void {
    const problem = this.endpointProblem;
    if (problem) {
      this.endpointProblem = undefined;
      this.send({ type: 'model.status', status: backend.status?.() ?? { state: 'ready' } });
      this.print(`${backend.description.endpoint ?? 'The server'} answers now.`);
    }
    if (this.setup && (problem || named !== backend.description.model)) {
      this.send({ type: 'session.info', info: this.info() });
    }
  }

  /** Starts the next queued prompt when the agent is ready and idle. */
  private pump(): void {
    if (!this.setup || this.running || this.closed) {
      this.send({ type: 'queue.changed', queued: [...this.queue] });
      return;
    }
    const prompt = this.queue.shift();
    this.send({ type: 'queue.changed', queued: [...this.queue] });
    if (prompt === undefined) return this.prepareNext();
    const command = userCommandOf(prompt);
    if (command !== undefined) void this.runUserCommand(this.setup, command);
    else void this.runTurn(this.setup.agent, prompt);
  }

  /** `!command`: runs the user's command line (no approval: they typed it) and tells the model about it. */
  private runUserCommand(setup: AgentSetup, command: string): Promise<void> {
    this.send({ type: 'input.echo', text: `!${command}` });
    const { sandbox } = setup.services;
    if (!sandbox) {
      this.print('Commands cannot run in this session.', 'error');
      return Promise.resolve();
    }
    return this.runTask('Running your command…', async (signal) => {
      const id = `user-command-${this.nextQuestionId++}`;
      const firstLine = command.split('\n', 1)[0]!;
      this.send({ type: 'tool.call', id, name: 'user_command', arguments: { command }, summary: `$ ${firstLine}` });
      const { runUserCommand } = await import('./user-command.js');
      const result = await runUserCommand(sandbox, setup.workspace.root, command, signal);
      this.send({
        type: 'tool.result',
        id,
        name: 'user_command',
        ok: result.ok,
        output: result.output,
        truncated: false,
        durationMs: result.durationMs,
        summary: result.summary,
      });
      setup.agent.addUserNote(result.note);
    });
  }

  /** While nothing runs or waits, the model reads the next prompt's start (the user's typing time). */
  private prepareNext(): void {
    if (!this.setup || this.running || this.closed || this.queue.length > 0) return;
    void this.setup.agent.prepareNext().catch(() => undefined);
  }

  private runTurn(agent: Agent, prompt: string): Promise<void> {
    const backend = this.setup?.backend;
    const workspace = this.setup?.workspace;
    const mcp = this.setup?.mcp;
    return this.occupy(async (signal) => {
      if (this.endpointProblem && backend) await this.checkEndpoint(backend);
      // A prompt sent while MCP servers start waits for their first try (at most their start timeout), so their
      // tools are there; a server whose start failed is retried meanwhile, and its tools come with a later request.
      if (mcp) {
        await Promise.race([
          mcp.firstAttempts(),
          new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true })),
        ]);
      }
      let sent = prompt;
      if (workspace && prompt.includes('@')) {
        const { attachMentions } = await import('./mentions.js');
        const { prompt: withFiles, attached, refused } = await attachMentions(workspace, prompt);
        sent = withFiles;
        // Shown under the prompt, once the turn has shown it.
        this.afterPrompt = [
          ...refused.map((reason) => ({ text: `Not attached: ${reason}`, tone: 'warning' as const })),
          ...(attached.length > 0 ? [{ text: `Attached: ${attached.join(', ')}`, tone: 'info' as const }] : []),
        ];
      }
      const result = await agent.runTurn(sent, signal, sent === prompt ? {} : { shown: prompt });
      if (result.stopReason !== 'error' && this.endpointProblem && backend) this.endpointAnswered(backend);
    });
  }

  /** Work outside a turn that holds the session like one (/compact, /init): shown with `label`. */
  private async runTask(label: string, task: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
    this.send({ type: 'task.started', label });
    try {
      await this.occupy(task);
    } finally {
      this.send({ type: 'task.finished' });
    }
  }

  /** Runs one thing at a time: prompts wait for it, Esc aborts its signal. */
  private occupy(task: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
    const controller = new AbortController();
    this.running = controller;
    this.current = (async () => {
      try {
        await task(controller.signal);
      } catch (error) {
        this.print(`Failed unexpectedly: ${(error as Error)?.stack ?? String(error)}`, 'error');
      } finally {
        this.running = undefined;
        this.current = undefined;
        this.approval = undefined;
        this.refreshGit();
        this.pump();
      }
    })();
    return this.current;
  }

  private askUser(request: ApprovalRequest, signal: AbortSignal): Promise<ApproverAnswer> {
    return new Promise((resolve) => {
      this.approval = { request, resolve };
      signal.addEventListener(
        'abort',
        () => {
          if (this.approval?.request === request) this.approval = undefined;
        },
        { once: true },
      );
    });
  }

  private onAgentEvent(event: AgentEvent): void {
    this.send(event);
    if (event.type === 'turn.started') {
      for (const note of this.afterPrompt.splice(0)) this.print(note.text, note.tone);
    }
    // Servers name their model only once asked; the status line follows.
    // An "always" answer adds a rule, which the status line shows beside the mode.
    if ((event.type === 'generation.completed' || event.type === 'approval.decided') && this.setup) {
      this.send({ type: 'session.info', info: this.info() });
    }
  }

  private onChangesApplied(set: AppliedChangeSet): void {
    this.changes.record(set);
    const { diff, files } = changeSetDiff(set);
    this.send({ type: 'changes.applied', diff, files });
    this.refreshGit();
  }

  /** One `git status` at a time; a request while one runs queues exactly one more. */
  private refreshGit(): void {
    const root = this.setup?.workspace;
    if (!root?.isGitRepo || this.closed) return;
    if (this.git.running) {
      this.git.again = true;
      return;
    }
    this.git = { running: true, again: false };
    void this.options.gitStatus(root.root).then((git) => {
      const again = this.git.again;
      this.git = { running: false, again: false };
      if (this.closed) return;
      this.send({ type: 'git.status', git });
      if (again) this.refreshGit();
    });
  }

  private commandContext(setup: AgentSetup): CommandContext {
    const session = this;
    const { agent } = setup;
    return {
      print: (text, tone, diff) => this.print(text, tone, diff),
      get busy() {
        return session.running !== undefined;
      },
      approvalMode: agent.approvalMode,
      setApprovalMode: (mode: ApprovalMode) => {
        agent.approvalMode = mode;
        this.send({ type: 'session.info', info: { approvalMode: approvalLabel(mode, agent.rules) } });
      },
      reasoningEffort: agent.reasoningEffort ?? 'medium',
      setReasoningEffort: (effort: ReasoningEffort) => {
        agent.reasoningEffort = effort;
        this.send({ type: 'session.info', info: { reasoningEffort: effort } });
      },
      describeModel: () => this.describeModel(),
      sessionDiff: () => this.changes.diff(setup.workspace),
      undo: async (count) => {
        const outcome = await setup.session.undo(count);
        this.refreshGit();
        return outcome;
      },
      conversationLength: agent.history.length,
      compact: () => this.runTask('Compacting the conversation…', (signal) => agent.compact(signal)),
      init: () =>
        this.runTask('Proposing an AGENTS.md…', async (signal) => {
          const result = await this.options.initProject(setup, {
            approver: (request, asked) => this.askUser(request, asked),
            signal,
            onChangesApplied: (set) => this.onChangesApplied(set),
          });
          this.reportInit(result);
        }),
      fix: (testCommand) =>
        this.runTask('Fixing the failing tests…', (signal) =>
          this.options.fixTests(setup, { testCommand, signal, print: (text, tone) => this.print(text, tone) }),
        ),
      review: () =>
        this.runTask('Reviewing the staged changes…', (signal) =>
          this.options.reviewChanges(setup, {
            signal,
            print: (text, tone) => this.print(text, tone),
            // The review's own turns are shown, not kept in the session log.
            emit: (event) => this.send(event),
            progress: (text) => this.send({ type: 'task.progress', text }),
            show: (review) => this.send({ type: 'review.shown', review }),
          }),
        ),
      clearConversation: () => {
        agent.clearHistory();
        this.send({ type: 'transcript.cleared' });
        this.print('New conversation: the model no longer sees the earlier one.');
      },
      exit: () => this.exit(),
      commands: this.commands,
      mcpStatus: () =>
        mcpStatusLines(
          setup.mcp?.servers() ?? [],
          [setup.loaded.files.user, setup.loaded.files.project].filter(Boolean).join(' or '),
        ),
      sendPrompt: (text) => {
        this.queue.push(text);
        this.pump();
      },
    };
  }

  private reportInit(result: InitResult): void {
    switch (result.status) {
      case 'failed':
        if (result.turn.stopReason === 'aborted')
          return this.print('Interrupted: no AGENTS.md was written.', 'warning');
        return this.print(result.message, 'error');
      case 'unchanged':
        return this.print('AGENTS.md already says what the model proposes; nothing to change.');
      case 'written':
        return this.print('Wrote AGENTS.md (/undo takes it back).');
      case 'not_approved':
        return this.print('AGENTS.md was not written.');
    }
  }

  private describeModel(): string[] {
    const { backend } = this.setup!;
    const { kind, model, endpoint } = backend.description;
    const status = backend.status?.() ?? { state: 'ready' as const };
    const lines = [`Model: ${model}`, `Backend: ${kind}${endpoint ? ` at ${endpoint}` : ''}`];
    if (status.state === 'ready') {
      if (status.contextSize) lines.push(`Context: ${status.contextSize} tokens`);
      if (status.device) lines.push(`Device: ${status.device}`);
    } else if (status.state === 'loading') {
      lines.push(`Loading: ${Math.round(status.progress * 100)}%`);
    } else {
      lines.push(`Failed: ${status.error.message}`);
    }
    lines.push('Switching needs a restart: gptoss-agent --model NAME.');
    return lines;
  }

  private send(event: UiEvent): void {
    if (this.backlog) {
      this.backlog.push(event);
      return;
    }
    for (const listener of this.listeners) listener(event);
  }

  private finish(end: SessionEnd): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribeStatus?.();
    this.end(end);
  }
}

/** "http://127.0.0.1:8080/v1" → "127.0.0.1:8080" */
/** The command line of a `!command` prompt, or undefined for a prompt for the model. */
export function userCommandOf(prompt: string): string | undefined {
  const text = prompt.trim();
  if (!text.startsWith('!')) return undefined;
  const command = text.slice(1).trim();
  return command === '' ? undefined : command;
}
