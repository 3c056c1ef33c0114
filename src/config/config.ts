// The user's and the project's settings, merged with flags:
// flag > project config > user config > default.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { endpointProblem } from '../model/endpoint.js';
import { checkMcpServers } from '../mcp/server-config.js';
import { agentDirs, projectConfigPath } from './paths.js';
import {
  contentHash,
  describeHeld,
  isTrusted,
  recordTrust,
  settingsNeedingTrust,
  type HeldSetting,
} from './project-trust.js';

export interface AgentConfig {
  /** A GGUF path, an hf: URI, or a server's model name. */
  model?: string;
  /** An OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1. */
  endpoint?: string;
  /** User config only: a secret never belongs in a repository. */
  apiKey?: string;
  /** How to speak to the server: raw harmony (`raw`), Chat Completions (`chat`) or by server (`auto`, the default). */
  harmony?: 'auto' | 'raw' | 'chat';
  /**
   * User config only: fill a llama-server's or vLLM's prefix cache with the conversation while the user
   * types (`auto`, the default: only a server on this machine or a private network; `on`: anywhere; `off`).
   */
  primeCache?: 'auto' | 'on' | 'off';
  approval?: 'suggest' | 'auto-edit' | 'full-auto';
  reasoning?: 'low' | 'medium' | 'high';
  testCommand?: string;
  /** Seconds a shell command may run (default 120). */
  commandTimeout?: number;
  /** Seconds a test run may take (default 600). */
  testTimeout?: number;
  /** Command prefixes that run without asking (inside the sandbox), e.g. "npm test". */
  allow?: string[];
  /** User config only: directories the sandbox shows read-only although it hides them (e.g. a toolchain under /tmp). */
  sandboxReadOnly?: string[];
  /** User config only: memory in MiB a sandboxed command may use (default: half the machine's). */
  sandboxMemoryMB?: number;
  /** User config only: processes and threads a sandboxed command may run at once (default 4096). */
  sandboxProcesses?: number;
  /** The model's context window in tokens, when the server does not report it (Ollama). */
  contextSize?: number;
  /** Percent of the context window at which old tool outputs are elided, then the conversation compacted. */
  compactAt?: number;
  temperature?: number;
  topP?: number;
  maxSteps?: number;
  /** Samples of a generation that comes out malformed, the first included (the agent's default: 3). */
  generationTries?: number;
  /** How the tools are offered: the model's own (`native`, the default) or developer-message functions. */
  toolSurface?: 'native' | 'functions';
  /** The most tokens one generation may write (default 32768, and never more than the window has left). */
  maxOutputTokens?: number;
  /** MCP servers by name, as other agents write them (`src/mcp/server-config.ts` reads each entry). */
  mcpServers?: Record<string, unknown>;
}

type Key = keyof AgentConfig;

const CHECKS: Record<Key, (value: unknown) => string | undefined> = {
  model: isString,
  endpoint: (v) =>
    typeof v === 'string' && endpointProblem(v) === undefined
      ? undefined
      : 'an http:// or https:// URL of an OpenAI-compatible server, such as http://127.0.0.1:8080/v1',
  apiKey: isString,
  harmony: oneOf('auto', 'raw', 'chat'),
  primeCache: oneOf('auto', 'on', 'off'),
  approval: oneOf('suggest', 'auto-edit', 'full-auto'),
  reasoning: oneOf('low', 'medium', 'high'),
  testCommand: isString,
  commandTimeout: positiveInteger,
  testTimeout: positiveInteger,
  allow: (v) => (Array.isArray(v) && v.every((item) => typeof item === 'string') ? undefined : 'a list of strings'),
  sandboxReadOnly: (v) =>
    Array.isArray(v) && v.every((item) => typeof item === 'string' && item.startsWith('/'))
      ? undefined
      : 'a list of absolute paths',
  sandboxMemoryMB: (v) =>
    Number.isInteger(v) && (v as number) >= 64 ? undefined : 'a whole number of MiB, at least 64',
  sandboxProcesses: (v) => (Number.isInteger(v) && (v as number) >= 16 ? undefined : 'a whole number, at least 16'),
  contextSize: positiveInteger,
  compactAt: (v) =>
    Number.isInteger(v) && (v as number) >= 10 && (v as number) <= 100 ? undefined : 'a whole number from 10 to 100',
  temperature: (v) => (typeof v === 'number' && v >= 0 && v <= 2 ? undefined : 'a number from 0 to 2'),
  topP: (v) => (typeof v === 'number' && v > 0 && v <= 1 ? undefined : 'a number above 0, at most 1'),
  maxSteps: positiveInteger,
  generationTries: (v) =>
    Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 10 ? undefined : 'a whole number from 1 to 10',
  toolSurface: oneOf('native', 'functions'),
  maxOutputTokens: positiveInteger,
  mcpServers: checkMcpServers,
};

/** Settings a repository must not choose for the user (primeCache: requests to the user's server they did not ask for). */
const USER_ONLY: readonly Key[] = ['apiKey', 'sandboxReadOnly', 'sandboxMemoryMB', 'sandboxProcesses', 'primeCache'];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadedConfig {
  config: AgentConfig;
  /** Which file set each value ("flag", or a path). */
  sources: Partial<Record<Key, string>>;
  /** Things worth telling the user (unknown keys, ignored keys). */
  warnings: string[];
  files: { user: string; project?: string };
  /** The project config, when there is one, and whether its settings that need trust apply. */
  project?: ProjectTrust;
  /** Names of the MCP servers in `config.mcpServers` that the project config set (started only once it is trusted). */
  projectMcpServers: string[];
}

export interface ProjectTrust {
  file: string;
  /** The repository root the trust is kept for. */
  root: string;
  /** sha256 of the file's bytes as read. */
  hash: string;
  trusted: boolean;
  /** Settings that apply only when the file is trusted; left out of `config` while it is not. */
  held: HeldSetting[];
}

/** The user accepts the project config: as it is now (--trust-project), or only with this content hash (a dialog's answer). */
export type TrustAcceptance = { current: true } | { hash: string };

export async function loadConfig(options: {
  root?: string;
  flags?: AgentConfig;
  env?: NodeJS.ProcessEnv;
  accept?: TrustAcceptance | undefined;
}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const userFile = path.join(agentDirs(env).config, 'config.json');
  const projectFile = options.root ? projectConfigPath(options.root) : undefined;
  const warnings: string[] = [];
  const user = (await readConfigFile(userFile, 'user', warnings)).config;
  const layers: [string, AgentConfig][] = [[userFile, user]];
  let project: ProjectTrust | undefined;
  if (projectFile) {
    const read = await readConfigFile(projectFile, 'project', warnings);
    project = read.hash
      ? await checkTrust(
          projectFile,
          options.root!,
          read.hash,
          settingsNeedingTrust(read.config, user, stripUndefined(options.flags ?? {})),
          env,
          options.accept,
        )
      : undefined;
    let applied = read.config;
    if (project && !project.trusted) {
      applied = withoutHeld(read.config, project.held);
      warnings.push(
        `${projectFile} is not trusted, so these settings from it are ignored: ${describeHeld(project.held)}. ` +
          'Run with --trust-project to trust the file as it is now.',
      );
    }
    layers.push([projectFile, applied]);
  }
  layers.push(['flag', stripUndefined(options.flags ?? {})]);

  const config: AgentConfig = {};
  const sources: LoadedConfig['sources'] = {};
  const projectMcpServers: string[] = [];
  for (const [source, layer] of layers) {
    for (const [key, value] of Object.entries(layer) as [Key, never][]) {
      // Servers add up across files (a project's server of the same name replaces the user's).
      if (key === 'mcpServers') {
        config.mcpServers = { ...config.mcpServers, ...(value as Record<string, unknown>) };
        if (source === projectFile) projectMcpServers.push(...Object.keys(value as Record<string, unknown>));
        sources[key] = source;
        continue;
      }
      config[key] = value;
      sources[key] = source;
    }
  }
  withholdApiKey(config, sources, env, projectFile, warnings);
  return {
    config,
    sources,
    warnings,
    projectMcpServers,
    files: { user: userFile, ...(projectFile ? { project: projectFile } : {}) },
    ...(project ? { project } : {}),
  };
}

/**
 * The key (--api-key, GPTOSS_AGENT_API_KEY, the user config) goes only to an endpoint the user
 * named: a repository that names its own server must not collect it, trusted or not. The
 * merged config carries the key to send, if any, so no caller looks at the environment again.
 */
function withholdApiKey(
  config: AgentConfig,
  sources: LoadedConfig['sources'],
  env: NodeJS.ProcessEnv,
  projectFile: string | undefined,
  warnings: string[],
): void {
  const key = config.apiKey ?? (env.GPTOSS_AGENT_API_KEY || undefined);
  if (config.endpoint === undefined || sources.endpoint !== projectFile || projectFile === undefined) {
    if (key !== undefined && config.apiKey === undefined) {
      config.apiKey = key;
      sources.apiKey = 'GPTOSS_AGENT_API_KEY';
    }
    return;
  }
  delete config.apiKey;
  delete sources.apiKey;
  if (key !== undefined) {
    warnings.push(
      `The API key is not sent to ${config.endpoint}: that endpoint comes from ${projectFile}, not from you. ` +
        'Give it with --endpoint or in your user config to send the key.',
    );
  }
}

async function checkTrust(
  file: string,
  root: string,
  hash: string,
  held: HeldSetting[],
  env: NodeJS.ProcessEnv,
  accept: TrustAcceptance | undefined,
): Promise<ProjectTrust> {
  const stateDir = agentDirs(env).state;
  const accepted = accept !== undefined && ('current' in accept || accept.hash === hash);
  if (accepted) {
    try {
      await recordTrust(stateDir, root, hash);
    } catch (error) {
      throw new ConfigError(`Cannot record that you trust ${file}: ${(error as Error).message}`);
    }
  }
  const trusted = held.length === 0 || accepted || (await isTrusted(stateDir, root, hash));
  return { file, root, hash, trusted, held };
}

function withoutHeld(config: AgentConfig, held: readonly HeldSetting[]): AgentConfig {
  const kept = { ...config };
  for (const { key } of held) delete kept[key];
  return kept;
}

async function readConfigFile(
  file: string,
  scope: 'user' | 'project',
  warnings: string[],
): Promise<{ config: AgentConfig; hash?: string }> {
  const read = await readConfigBytes(file, 'fix or remove it.');
  const parsed = read?.object ?? {};
  const config: AgentConfig = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(key in CHECKS)) {
      warnings.push(`${file}: unknown setting "${key}" ignored (known: ${Object.keys(CHECKS).join(', ')})`);
      continue;
    }
    if (scope === 'project' && USER_ONLY.includes(key as Key)) {
      warnings.push(`${file}: "${key}" is ignored in a project config; put it in your user config or the environment`);
      continue;
    }
    const problem = CHECKS[key as Key](value);
    if (problem) throw new ConfigError(`${file}: "${key}" must be ${problem}.`);
    (config as Record<string, unknown>)[key] = value;
  }
  return { config, ...(read ? { hash: read.hash } : {}) };
}

/** A config file's JSON object, or undefined when there is no file; `fix` ends the message of a broken one. */
export async function readConfigObject(file: string, fix: string): Promise<Record<string, unknown> | undefined> {
  return (await readConfigBytes(file, fix))?.object;
}

/** A config file's JSON object and the sha256 of the very bytes it was parsed from. */
export async function readConfigBytes(
  file: string,
  fix: string,
): Promise<{ object: Record<string, unknown>; hash: string } | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`Cannot read the config file ${file}: ${(error as Error).message}`);
  }
  const text = bytes.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`The config file ${file} is not valid JSON (${(error as Error).message}); ${fix}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`The config file ${file} must hold a JSON object; ${fix}`);
  }
  return { object: parsed as Record<string, unknown>, hash: contentHash(bytes) };
}

function stripUndefined(config: AgentConfig): AgentConfig {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)) as AgentConfig;
}

function isString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? undefined : 'a non-empty string';
}

function positiveInteger(value: unknown): string | undefined {
  return Number.isInteger(value) && (value as number) > 0 ? undefined : 'a positive whole number';
}

function oneOf(...allowed: string[]) {
  return (value: unknown) =>
    typeof value === 'string' && allowed.includes(value) ? undefined : `one of ${allowed.join(', ')}`;
}

/** Larger than any real config: a repository cannot make the start read a huge file. */
const CONFIG_MAX_BYTES = 1024 * 1024;

/**
 * A config file's bytes. Opened without blocking and checked to be a regular file of a sane size,
 * so a repository's FIFO or device named config.json cannot hang or flood the start.
 */
async function readRegularFile(file: string): Promise<Buffer> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error('it is not a regular file');
    if (info.size > CONFIG_MAX_BYTES) throw new Error(`it is larger than ${CONFIG_MAX_BYTES} bytes`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
