// Builds what every agent-running mode needs, in one place: the workspace,
// the merged config, the model backend, the tools, the instructions and the loop.
import path from 'node:path';
import { Agent, type AgentOptions } from '../agent/loop.js';
import type { ApprovalRule } from '../agent/approvals.js';
import { buildInstructions } from '../agent/instructions.js';
import { loadConfig, type AgentConfig, type LoadedConfig } from '../config/config.js';
import type { ModelBackend } from '../model/backend.js';
import { defaultTools } from '../../tools/default-tools.js';
import { ToolRegistry } from '../../tools/registry.js';
import type { Tool, ToolServices } from '../../tools/tool.js';
import { agentDirs } from '../config/paths.js';
import { Workspace } from '../../tools/workspace.js';
import { createBackend } from './backend-factory.js';

export interface AgentSetup {
  agent: Agent;
  backend: ModelBackend;
  workspace: Workspace;
  loaded: LoadedConfig;
}

export interface AgentSetupOptions extends Pick<AgentOptions, 'approver' | 'emit'> {
  cwd: string;
  /** The tools for this mode (default: every tool). */
  tools?: Tool[];
  /** The prompt file the instructions start from (default system.md). */
  basePrompt?: string;
  /** -C/--cd, relative to cwd. */
  dir?: string | undefined;
  flags: AgentConfig;
  env: NodeJS.ProcessEnv;
  unsandboxedAllowed?: boolean;
}

/** What every tool call gets from the mode. */
export function toolServices(env: NodeJS.ProcessEnv): ToolServices {
  return { cacheDir: agentDirs(env).cache };
}

/** The workspace and merged config of a directory, before any backend is chosen. */
export async function openProject(cwd: string, dir: string | undefined, flags: AgentConfig, env: NodeJS.ProcessEnv) {
  const workspace = await Workspace.open(path.resolve(cwd, dir ?? '.'));
  const loaded = await loadConfig({ root: workspace.root, flags, env });
  return { workspace, loaded };
}

export async function setUpAgent(options: AgentSetupOptions): Promise<AgentSetup> {
  const { workspace, loaded } = await openProject(options.cwd, options.dir, options.flags, options.env);
  const { config } = loaded;
  const backend = await createBackend(config, options.env, { cwd: options.cwd, sources: loaded.sources });
  const rules: ApprovalRule[] = (config.allow ?? []).map((prefix) => ({ kind: 'exec', prefix }));
  const agent = new Agent({
    backend,
    tools: new ToolRegistry(options.tools ?? defaultTools()),
    workspace,
    instructions: await buildInstructions(workspace, options.basePrompt),
    approvalMode: config.approval ?? 'suggest',
    approver: options.approver,
    emit: options.emit,
    rules,
    toolServices: toolServices(options.env),
    ...(options.unsandboxedAllowed ? { unsandboxedAllowed: true } : {}),
    ...(config.reasoning ? { reasoningEffort: config.reasoning } : {}),
    ...(config.maxSteps ? { maxSteps: config.maxSteps } : {}),
  });
  return { agent, backend, workspace, loaded };
}
