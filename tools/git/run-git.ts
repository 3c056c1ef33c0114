// Runs one git command through simple-git (imported on first use) with the
// call's abort signal and a cap on the output kept: a diff or log of a huge
// change is cut at the source instead of being buffered whole.
import { ToolError } from '../tool.js';

/** Output kept from one command; the loop cuts what the model reads much further. */
export const GIT_OUTPUT_MAX_BYTES = 512 * 1024;

/**
 * Variables git sets for hooks: a pre-commit hook must see the index being
 * committed (GIT_INDEX_FILE), so these are passed through; simple-git drops
 * every other GIT_* variable.
 */
const PASSED_THROUGH = ['GIT_INDEX_FILE', 'GIT_DIR', 'GIT_WORK_TREE'];

export interface GitRunOptions {
  signal?: AbortSignal;
  maxBytes?: number;
  /** Extra variables for this command (e.g. GIT_INDEX_FILE for a preview index). */
  env?: Record<string, string>;
}

export interface GitOutput {
  text: string;
  /** The command produced more than maxBytes; text ends at the last whole line before the cap. */
  cut: boolean;
}

/** A git command that failed; the message says what git said, in words the model can act on. */
export class GitCommandError extends ToolError {
  override name = 'GitCommandError';
}

export async function runGit(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<GitOutput> {
  const { simpleGit } = await import('simple-git');
  const maxBytes = options.maxBytes ?? GIT_OUTPUT_MAX_BYTES;
  const overflow = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, overflow.signal]) : overflow.signal;
  const git = simpleGit({
    baseDir: cwd,
    abort: signal,
    // Paths as UTF-8 rather than octal escapes; never colour.
    config: ['core.quotepath=off', 'color.ui=never'],
    allowEnvironment: PASSED_THROUGH,
    // simple-git only fails a command that wrote to stderr; a silent non-zero exit is a failure too.
    errors: (error, result) => {
      if (error || result.exitCode === 0) return error;
      const stderr = Buffer.concat(result.stdErr).toString('utf8').trim();
      return Buffer.from(stderr || `git exited with status ${result.exitCode} and said nothing`);
    },
  });
  if (options.env) git.env({ ...baseEnvironment(process.env), ...options.env });

  const kept: Buffer[] = [];
  let keptBytes = 0;
  let cut = false;
  git.outputHandler((_command, stdout) => {
    stdout.on('data', (chunk: Buffer) => {
      if (cut) return;
      const room = maxBytes - keptBytes;
      if (chunk.length <= room) {
        kept.push(chunk);
        keptBytes += chunk.length;
        return;
      }
      kept.push(chunk.subarray(0, room));
      cut = true;
      overflow.abort();
    });
  });
  try {
    const text = await git.raw([...args]);
    return cut ? { text: wholeLines(kept), cut } : { text, cut: false };
  } catch (error) {
    if (cut) return { text: wholeLines(kept), cut: true };
    if (options.signal?.aborted) throw options.signal.reason;
    throw describeFailure(error, args);
  }
}

/**
 * What a command given its own variables keeps from ours: simple-git refuses
 * explicitly passed variables it considers unsafe (EDITOR, PAGER, GIT_*), so
 * only what git needs to find its config and read file names is carried over.
 */
const CARRIED = [
  'PATH',
  'HOME',
  'USERPROFILE',
  'XDG_CONFIG_HOME',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TMPDIR',
  'SYSTEMROOT',
];

function baseEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of CARRIED) if (env[key] !== undefined) out[key] = env[key];
  return out;
}

/** The kept bytes up to the last newline, so no line (or UTF-8 character) is cut in half. */
function wholeLines(chunks: Buffer[]): string {
  const bytes = Buffer.concat(chunks);
  const end = bytes.lastIndexOf(0x0a);
  return bytes.subarray(0, end + 1).toString('utf8');
}

function describeFailure(error: unknown, args: readonly string[]): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const message = (error as Error).message ?? String(error);
  if (code === 'ENOENT' || /spawn git ENOENT/.test(message)) {
    return new ToolError('git is not installed (or not on PATH); install git to use this.');
  }
  const stderr = message.trim();
  if (/not a git repository/i.test(stderr)) {
    return new GitCommandError('This directory is not inside a git repository.');
  }
  const said = stderr
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, 6)
    .join('\n');
  return new GitCommandError(`git ${args[0] ?? ''} failed: ${said || 'no error message'}`);
}
