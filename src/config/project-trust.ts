// Which project configs the user trusts. A repository can write its own
// .gptoss-agent/config.json, so the settings in it that widen what runs without
// asking, or change where the code and prompts go, apply only once the user
// has trusted that exact file: its sha256 is kept per repository root in the
// user's state directory, and any change to the file asks again.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from './atomic-write.js';
import { describeServer, parseMcpServers } from '../mcp/server-config.js';
import type { AgentConfig } from './config.js';

/** A project setting that applies only when the config is trusted, as the user is shown it. */
export interface HeldSetting {
  key: keyof AgentConfig;
  /** e.g. "full-auto", "npm test", "http://…" */
  shown: string;
}

/**
 * Settings a repository could use against the user: what runs without asking (approval, allow,
 * testCommand, which run_tests runs and an "always" for run_tests covers), where prompts, code and
 * keys go (endpoint), which model file a native parser loads (model), and which programs start
 * outside the sandbox or which servers get the model's calls (mcpServers). Everything else
 * (reasoning, timeouts, context and sampling settings, maxSteps) applies without asking: it
 * changes neither what is allowed nor where data goes.
 */
const GATED: readonly (keyof AgentConfig)[] = ['approval', 'allow', 'endpoint', 'model', 'testCommand', 'mcpServers'];

/**
 * The settings of `project` that need trust: not those a flag overrides anyway, nor an approval
 * mode no wider than the user's own.
 */
export function settingsNeedingTrust(project: AgentConfig, user: AgentConfig, flags: AgentConfig = {}): HeldSetting[] {
  const held: HeldSetting[] = [];
  for (const key of GATED) {
    const value = project[key];
    if (value === undefined || flags[key] !== undefined) continue;
    if (key === 'approval' && rank(project.approval!) <= rank(user.approval ?? 'suggest')) continue;
    if (key === 'mcpServers') held.push(...describeMcpServers(value as Record<string, unknown>));
    else if (Array.isArray(value)) held.push(...value.map((item) => ({ key, shown: String(item) })));
    else held.push({ key, shown: String(value) });
  }
  return held;
}

/** Each server as the trust dialog shows it: its name and the command it runs or the URL it calls. */
function describeMcpServers(servers: Record<string, unknown>): HeldSetting[] {
  return Object.entries(servers).map(([name, entry]) => {
    const parsed = parseMcpServers({ [name]: entry }).servers.get(name);
    return { key: 'mcpServers' as const, shown: `${name} (${parsed ? describeServer(parsed) : 'malformed'})` };
  });
}

/** Whether a config file's settings hold anything that could need trust (any approval mode counts). */
export function holdsGatedSettings(settings: Record<string, unknown>): boolean {
  return GATED.some((key) => settings[key] !== undefined);
}

/** "approval: full-auto, allow: npm test" */
export function describeHeld(held: readonly HeldSetting[]): string {
  return held.map(({ key, shown }) => `${key}: ${shown}`).join(', ');
}

/** Approval modes from the narrowest to the widest. */
const WIDTH = ['suggest', 'auto-edit', 'full-auto'];

function rank(mode: string): number {
  return WIDTH.indexOf(mode);
}

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Trusted configs, by repository root: one hash each, the content the user last trusted. */
interface TrustFile {
  version: 1;
  projects: Record<string, string>;
}

function trustFilePath(stateDir: string): string {
  return path.join(stateDir, 'trusted-project-configs.json');
}

async function readTrustFile(stateDir: string): Promise<TrustFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(trustFilePath(stateDir), 'utf8'));
  } catch {
    // Missing or unreadable: nothing is trusted, and trusting again rewrites it.
    return { version: 1, projects: {} };
  }
  const projects = (parsed as Partial<TrustFile> | null)?.projects;
  if (typeof projects !== 'object' || projects === null || Array.isArray(projects)) return { version: 1, projects: {} };
  return {
    version: 1,
    projects: Object.fromEntries(Object.entries(projects).filter(([, hash]) => typeof hash === 'string')),
  };
}

export async function isTrusted(stateDir: string, root: string, hash: string): Promise<boolean> {
  return (await readTrustFile(stateDir)).projects[root] === hash;
}

/** Remembers that the user trusts the config of `root` whose content hashes to `hash`. */
export async function recordTrust(stateDir: string, root: string, hash: string): Promise<void> {
  const trust = await readTrustFile(stateDir);
  trust.projects[root] = hash;
  await writeFileAtomically(trustFilePath(stateDir), `${JSON.stringify(trust, null, 2)}\n`);
}
