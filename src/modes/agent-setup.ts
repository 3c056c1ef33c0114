// Builds what every agent-running mode needs, in one place: the workspace,
// the merged config, the model backend, the tools, the instructions and the loop.
import { Agent, type AgentOptions } from '../agent/loop.js';
import { allowRule, type ApprovalRule } from '../agent/approvals.js';
import { allListeners } from '../agent/change-listeners.js';
import { buildInstructions } from '../agent/instructions.js';
import { Session } from '../agent/session.js';
import {
  loadConfig,
  type AgentConfig,
  type LoadedConfig,
  type ProjectTrust,
  type TrustAcceptance,
} from '../config/config.js';
import type { ModelBackend } from '../model/backend.js';
import { defaultTools } from '../../tools/default-tools.js';
import type { ToolRegistry } from '../../tools/registry.js';
import { DEFAULT_TOOL_SURFACE, surfaceRegistry, surfaceToolNames } from '../../tools/surfaces/surface.js';
import { Sandbox } from '../../tools/sandbox/sandbox.js';
import type { Tool, ToolServices } from '../../tools/tool.js';
import { agentDirs } from '../config/paths.js';
import { saveAllowedCommand } from '../config/project-allow.js';
import type { Workspace } from '../../tools/workspace/workspace.js';
import { createBackend } from './backend-factory.js';
import { openWorkspace } from './open-workspace.js';
import { projectDir } from './options.js';
import { mcpToolsOf, startMcpServers } from './mcp-setup.js';
import type { McpConnections } from '../mcp/connections.js';

export interface AgentSetup {
  agent: Agent;
  backend: ModelBackend;
  workspace: Workspace;
  loaded: LoadedConfig;
  /** The session log the agent writes to; close it when done. */
  session: Session;
  /** What the model was told first (system prompt and AGENTS.md). */
  instructions: string;
  /** What every tool call gets; `services.sandbox.state()` says whether commands are sandboxed. */
  services: ToolServices;
  /** The MCP servers, when the config names any; close them with the session. */
  mcp?: McpConnections;
}

export interface AgentSetupOptions extends Pick<AgentOptions, 'approver' | 'emit' | 'onChangesApplied'> {
  cwd: string;
  /** The tools for this mode (default: every tool). */
  tools?: Tool[];
  /** The prompt file the instructions start from (default system.md). */
  basePrompt?: string;
  /** -C/--cd, relative to cwd. */
  dir?: string | undefined;
  flags: AgentConfig;
  env: NodeJS.ProcessEnv;
  /** --trust-project. */
  accept?: TrustAcceptance | undefined;
  /** Start the config's MCP servers and offer their tools (the UI and exec; not review, fix or init). */
  mcp?: boolean;
  /**
   * Asks the user whether to trust a project config whose settings need it (the UI's dialog),
   * before the backend is chosen; without it they stay ignored, with a warning.
   */
  askTrust?: ((project: ProjectTrust) => Promise<boolean>) | undefined;
  unsandboxedAllowed?: boolean;
  /**
   * --continue ("last") or --resume ID; a new session when absent. A function chooses once
   * the repository is known (the UI's picker), while the model loads; undefined: a new one.
   */
  resume?: string | ((root: string) => Promise<string | undefined>) | undefined;
  /** The mode's last say on the merged config, before any model is loaded: throw to stop the run. */
  checkConfig?: (config: AgentConfig) => void;
}

/** What every tool call gets from the mode. `sandbox: false` is the user's --no-sandbox. */
export function toolServices(
  env: NodeJS.ProcessEnv,
  config: AgentConfig,
  sandbox: boolean,
  root: string,
): ToolServices {
  return {
    cacheDir: agentDirs(env).cache,
    sandbox: new Sandbox({
      enabled: sandbox,
      env,
      root,
      ...(config.commandTimeout ? { shellTimeoutMs: config.commandTimeout * 1000 } : {}),
      ...(config.testTimeout ? { testTimeoutMs: config.testTimeout * 1000 } : {}),
      ...(config.sandboxReadOnly ? { readOnlyPaths: config.sandboxReadOnly } : {}),
      limits: {
        ...(config.sandboxMemoryMB ? { memoryMB: config.sandboxMemoryMB } : {}),
        ...(config.sandboxProcesses ? { processes: config.sandboxProcesses } : {}),
      },
    }),
    ...(config.testCommand ? { testCommand: config.testCommand } : {}),
  };
}

/** The tools as the config's surface offers them (native unless `toolSurface` says functions). */
export function toolRegistry(
  config: AgentConfig,
  tools: readonly Tool[],
  dynamic?: () => readonly Tool[],
): ToolRegistry {
  return surfaceRegistry(config.toolSurface ?? DEFAULT_TOOL_SURFACE, tools, dynamic);
}

/** How the config's surface names our tools, for the instructions. */
export function toolNames(config: AgentConfig): Readonly<Record<string, string>> {
  return surfaceToolNames(config.toolSurface ?? DEFAULT_TOOL_SURFACE);
}

/** The workspace and merged config of a directory, before any backend is chosen. */
export async function openProject(
  cwd: string,
  dir: string | undefined,
  flags: AgentConfig,
  env: NodeJS.ProcessEnv,
  trust: Pick<AgentSetupOptions, 'accept' | 'askTrust'> = {},
) {
  const { workspace, recovered } = await openWorkspace(projectDir(cwd, dir), env);
  const root = workspace.root;
  let loaded = await loadConfig({ root, flags, env, accept: trust.accept });
  const project = loaded.project;
  if (project && !project.trusted && trust.askTrust && (await trust.askTrust(project))) {
    // Only the content the user was shown is trusted: a file changed meanwhile stays ignored.
    loaded = await loadConfig({ root, flags, env, accept: { hash: project.hash } });
  }
  return { workspace, loaded, recovered };
}

/** One-shot runs (a review) keep no session: nothing to resume or undo, no log per commit hook. */
export async function setUpAgent(options: AgentSetupOptions & { record: false }): Promise<Omit<AgentSetup, 'session'>>;
export async function setUpAgent(options: AgentSetupOptions): Promise<AgentSetup>;
export async function setUpAgent(
  options: AgentSetupOptions & { record?: boolean },
): Promise<Omit<AgentSetup, 'session'> & { session?: Session }> {
  const { workspace, loaded, recovered } = await openProject(options.cwd, options.dir, options.flags, options.env, {
    accept: options.accept,
    askTrust: options.askTrust,
  });
  const { config } = loaded;
  options.checkConfig?.(config);
  // Started before the model loads, in the background: the servers come up meanwhile.
  const mcp = options.mcp ? await startMcpServers(loaded, workspace.root, options.env, options.emit) : undefined;
  let backend: ModelBackend;
  try {
    backend = await createBackend(config, options.env, { cwd: options.cwd, sources: loaded.sources });
  } catch (error) {
    await mcp?.close();
    throw error;
  }
  try {
    const instructions = await buildInstructions(workspace, options.basePrompt, toolNames(config));
    const resume = typeof options.resume === 'function' ? await options.resume(workspace.root) : options.resume;
    const session =
      options.record === false
        ? undefined
        : await Session.open({
            stateDir: agentDirs(options.env).state,
            workspace,
            ...(resume ? { resume } : {}),
            run: {
              instructions,
              model: backend.description,
              settings: {
                approval: config.approval ?? 'suggest',
                ...(config.reasoning ? { reasoning: config.reasoning } : {}),
                ...(config.endpoint ? { endpoint: config.endpoint } : {}),
                ...(config.contextSize ? { contextSize: config.contextSize } : {}),
              },
            },
            emit: options.emit,
          });
    for (const message of recovered) options.emit({ type: 'model.notice', message });
    const rules: ApprovalRule[] = (config.allow ?? []).map(allowRule);
    const hooks: Pick<AgentOptions, 'emit' | 'onChangesApplied'> = session ? session.hooks() : { emit: options.emit };
    const services = toolServices(options.env, config, !options.unsandboxedAllowed, workspace.root);
    const agent = new Agent({
      ...hooks,
      backend,
      tools: toolRegistry(config, options.tools ?? defaultTools(), mcp ? () => mcpToolsOf(mcp) : undefined),
      workspace,
      instructions,
      approvalMode: config.approval ?? 'suggest',
      approver: options.approver,
      rules,
      saveRule: async (rule) => {
        const saved = rule.kind === 'exec' ? rule.prefix : rule.kind === 'mcp' ? rule.pattern : undefined;
        if (saved !== undefined) await saveAllowedCommand(workspace.root, saved, agentDirs(options.env).state);
      },
      toolServices: services,
      context: {
        ...(config.contextSize ? { contextSize: config.contextSize } : {}),
        ...(config.compactAt ? { compactAt: config.compactAt / 100 } : {}),
      },
      ...(options.unsandboxedAllowed ? { unsandboxedAllowed: true } : {}),
      // The session's checkpoints, then the mode's own listener.
      onChangesApplied: allListeners(hooks.onChangesApplied, options.onChangesApplied),
      ...(config.reasoning ? { reasoningEffort: config.reasoning } : {}),
      ...(config.maxSteps ? { maxSteps: config.maxSteps } : {}),
      ...(config.generationTries ? { generationTries: config.generationTries } : {}),
      ...(config.maxOutputTokens ? { maxOutputTokens: config.maxOutputTokens } : {}),
    });
    session?.attach(agent);
    return {
      agent,
      backend,
      workspace,
      loaded,
      instructions,
      services,
      ...(session ? { session } : {}),
      ...(mcp ? { mcp } : {}),
    };
  } catch (error) {
    await mcp?.close();
    await backend.dispose();
    throw error;
  }
}
