// Command-line options shared by the modes, and the conversion of flags
// into config values. Parsing uses node:util's parseArgs: no dependency on
// the startup path.
import { statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AgentConfig, TrustAcceptance } from '../config/config.js';
import { isApprovalMode } from '../agent/approvals.js';
import { endpointProblem } from '../model/endpoint.js';

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ModeIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export type ModeRunner = (argv: string[], io: ModeIO) => Promise<number>;

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every agent-running mode takes. */
export const AGENT_OPTIONS = {
  endpoint: { type: 'string' },
  model: { type: 'string', short: 'm' },
  'api-key': { type: 'string' },
  harmony: { type: 'string' },
  approval: { type: 'string', short: 'a' },
  reasoning: { type: 'string', short: 'r' },
  ctx: { type: 'string' },
  'max-steps': { type: 'string' },
  'tool-surface': { type: 'string' },
  'max-output-tokens': { type: 'string' },
  cd: { type: 'string', short: 'C' },
  'no-sandbox': { type: 'boolean' },
  'trust-project': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export const AGENT_OPTIONS_HELP = `Model:
  --endpoint URL        an OpenAI-compatible server (llama-server, vLLM, Ollama, LM Studio)
  -m, --model MODEL     embedded: a GGUF path, an hf: URI, 20b or 120b; with --endpoint: the server's model name
  --api-key KEY         bearer token for the server (or GPTOSS_AGENT_API_KEY)
  --harmony MODE        auto (default: raw harmony to vLLM, llama-server and Ollama, Chat Completions to
                        others) | raw (always our own harmony prompt) | chat (always Chat Completions)
  -r, --reasoning LEVEL low | medium | high (default medium)
  --ctx N               context size of the embedded model in tokens (default: as much as free memory allows)
Agent:
  -a, --approval MODE   suggest (default: ask for every edit and command) | auto-edit (apply edits,
                        run the tests) | full-auto (also run other commands in the sandbox)
  --max-steps N         tool calls allowed per turn (default 50)
  --tool-surface S      native (default: the tools gpt-oss was trained on) | functions (our own tool set)
  --max-output-tokens N the most tokens one answer or tool call may take (default 32768, or what the context has left)
  -C, --cd DIR          work in DIR instead of the current directory
  --no-sandbox          run commands without the OS sandbox, by your choice (they follow the approval mode)
  --trust-project       trust this repository's .gptoss-agent/config.json as it is now (its approval,
                        allow, endpoint, model and testCommand apply; a later change asks again)`;

/** --trust-project: the project config as it is now is trusted, and remembered so. */
export function trustFromFlags(values: { 'trust-project'?: boolean | undefined }): TrustAcceptance | undefined {
  return values['trust-project'] ? { current: true } : undefined;
}

/** Flags of the modes that can continue a saved session. */
export const SESSION_OPTIONS = {
  continue: { type: 'boolean', short: 'c' },
  resume: { type: 'string' },
} as const satisfies Options;

export const SESSION_OPTIONS_HELP = `Session:
  -c, --continue        continue the last session in this repository
  --resume ID           continue session ID (list them with "gptoss-agent sessions")`;

/**
 * The interactive UI's `--resume` without an id (last, or followed by another option)
 * asks for a picker; parseArgs cannot take an option whose value is optional, so it
 * is taken out first. `--resume ID` and `--resume=ID` are left for parseArgs.
 */
export function takeBareResume(argv: readonly string[]): { argv: string[]; pick: boolean } {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  const bare = options.flatMap((arg, index) => {
    const next = options[index + 1];
    return arg === '--resume' && (next === undefined || next.startsWith('-')) ? [index] : [];
  });
  return { argv: argv.filter((_arg, index) => !bare.includes(index)), pick: bare.length > 0 };
}

/** The session to continue: "last", an id, or undefined for a new one (or for the picker, with `pick`). */
export function sessionChoice(
  values: { continue?: boolean | undefined; resume?: string | undefined },
  pick = false,
): string | undefined {
  if (values.continue && (values.resume !== undefined || pick)) {
    throw new UsageError('give --continue or --resume ID, not both');
  }
  if (pick && values.resume !== undefined) throw new UsageError('give --resume once');
  if (values.resume !== undefined && values.resume.trim() === '') throw new UsageError('--resume needs a session id');
  return values.continue ? 'last' : values.resume;
}

export function parseMode<O extends Options>(argv: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

/** gpt-oss is trained for 131,072 tokens; a larger --ctx is a typo, not a setting. */
const MAX_CONTEXT = 131_072;

/** Decimal digits only: Number() would also take "1e3", "0x10" and " 7 ". */
function wholeNumber(text: string): number | undefined {
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/** The directory to work in (-C DIR, else the current one); a usage error when it is not a directory. */
export function projectDir(cwd: string, dir: string | undefined): string {
  const resolved = path.resolve(cwd, dir ?? '.');
  let isDirectory: boolean;
  try {
    isDirectory = statSync(resolved).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) {
    const what = dir === undefined ? `the current directory ${resolved}` : `-C ${dir}`;
    throw new UsageError(`${what}: no such directory; give an existing directory to work in`);
  }
  return resolved;
}

/** Turns the agent flags into config values, checking each. */
export function configFromFlags(values: {
  endpoint?: string | undefined;
  model?: string | undefined;
  'api-key'?: string | undefined;
  harmony?: string | undefined;
  approval?: string | undefined;
  reasoning?: string | undefined;
  ctx?: string | undefined;
  'max-steps'?: string | undefined;
  'tool-surface'?: string | undefined;
  'max-output-tokens'?: string | undefined;
}): AgentConfig {
  const config: AgentConfig = {};
  if (values.endpoint !== undefined) {
    const problem = endpointProblem(values.endpoint);
    if (problem) throw new UsageError(`--endpoint ${problem}`);
    config.endpoint = values.endpoint;
  }
  if (values.model !== undefined) config.model = values.model;
  if (values['api-key'] !== undefined) config.apiKey = values['api-key'];
  if (values.harmony !== undefined) {
    if (!['auto', 'raw', 'chat'].includes(values.harmony)) {
      throw new UsageError(`--harmony must be auto, raw or chat (got "${values.harmony}")`);
    }
    config.harmony = values.harmony as AgentConfig['harmony'];
  }
  if (values.approval !== undefined) {
    if (!isApprovalMode(values.approval)) {
      throw new UsageError(`--approval must be suggest, auto-edit or full-auto (got "${values.approval}")`);
    }
    config.approval = values.approval;
  }
  if (values.reasoning !== undefined) {
    if (!['low', 'medium', 'high'].includes(values.reasoning)) {
      throw new UsageError(`--reasoning must be low, medium or high (got "${values.reasoning}")`);
    }
    config.reasoning = values.reasoning as AgentConfig['reasoning'];
  }
  if (values.ctx !== undefined) {
    const size = wholeNumber(values.ctx);
    if (size === undefined || size < 512 || size > MAX_CONTEXT) {
      throw new UsageError(`--ctx must be a whole number of tokens from 512 to ${MAX_CONTEXT} (got "${values.ctx}")`);
    }
    config.contextSize = size;
  }
  if (values['max-steps'] !== undefined) {
    const steps = wholeNumber(values['max-steps']);
    if (steps === undefined || steps < 1) {
      throw new UsageError(`--max-steps must be a positive whole number (got "${values['max-steps']}")`);
    }
    config.maxSteps = steps;
  }
  const surface = values['tool-surface'];
  if (surface !== undefined) {
    if (surface !== 'native' && surface !== 'functions') {
      throw new UsageError(`--tool-surface must be native or functions (got "${surface}")`);
    }
    config.toolSurface = surface;
  }
  if (values['max-output-tokens'] !== undefined) {
    const tokens = wholeNumber(values['max-output-tokens']);
    if (tokens === undefined || tokens < 1) {
      throw new UsageError(
        `--max-output-tokens must be a positive whole number (got "${values['max-output-tokens']}")`,
      );
    }
    config.maxOutputTokens = tokens;
  }
  return config;
}
