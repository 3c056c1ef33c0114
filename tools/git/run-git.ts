// Runs one git command on the host through host-git.ts (which keeps the
// repository's config from running anything) with the call's abort signal and
// a cap on the output kept: a diff or log of a huge change is cut at the
// source instead of being buffered whole.
import { spawn } from 'node:child_process';
import { ToolError } from '../tool-error.js';
import { NotARepositoryError, prepareHostGit } from './host-git.js';

/** Output kept from one command; the loop cuts what the model reads much further. */
export const GIT_OUTPUT_MAX_BYTES = 512 * 1024;
const STDERR_MAX_CHARS = 8000;
/** Output format, whatever the user's config says: paths as UTF-8 rather than octal escapes; never colour. */
const FORMAT_CONFIG = [
  ['core.quotepath', 'off'],
  ['color.ui', 'never'],
] as const;

export interface GitRunOptions {
  signal?: AbortSignal;
  maxBytes?: number;
  /** Extra variables for this command (e.g. GIT_INDEX_FILE for a scratch index). */
  env?: Record<string, string>;
  /** The command writes the index, objects or refs (add, write-tree, commit-tree, update-ref). */
  write?: boolean;
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
  options.signal?.throwIfAborted();
  let command;
  try {
    command = await prepareHostGit(cwd, args, {
      config: FORMAT_CONFIG,
      write: options.write ?? false,
      ...(options.env ? { env: options.env } : {}),
    });
  } catch (error) {
    throw describeFailure(error, args);
  }
  const maxBytes = options.maxBytes ?? GIT_OUTPUT_MAX_BYTES;
  return new Promise((resolve, reject) => {
    const child = spawn(command.program, command.argv, { cwd, env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let cut = false;
    let stderr = '';
    let failed: Error | undefined;
    const onAbort = () => child.kill('SIGKILL');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      if (cut) return;
      const room = maxBytes - keptBytes;
      if (chunk.length <= room) {
        kept.push(chunk);
        keptBytes += chunk.length;
        return;
      }
      kept.push(chunk.subarray(0, room));
      cut = true;
      child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < STDERR_MAX_CHARS) stderr = (stderr + chunk).slice(0, STDERR_MAX_CHARS);
    });
    child.on('error', (error) => (failed = error));
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (cut) return resolve({ text: wholeLines(kept), cut: true });
      if (options.signal?.aborted) return reject(options.signal.reason);
      if (failed) return reject(describeFailure(failed, args));
      if (code === 0) return resolve({ text: Buffer.concat(kept).toString('utf8'), cut: false });
      const said = stderr.trim() || `git exited with status ${code ?? 'unknown'} and said nothing`;
      reject(describeFailure(new Error(said), args));
    });
  });
}

/** The kept bytes up to the last newline, so no line (or UTF-8 character) is cut in half. */
function wholeLines(chunks: Buffer[]): string {
  const bytes = Buffer.concat(chunks);
  const end = bytes.lastIndexOf(0x0a);
  return bytes.subarray(0, end + 1).toString('utf8');
}

function describeFailure(error: unknown, args: readonly string[]): Error {
  if (error instanceof NotARepositoryError)
    return new GitCommandError('This directory is not inside a git repository.');
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
