#!/usr/bin/env node
// Arguments → a mode; nothing else. Each mode is imported only when chosen,
// so `exec` and `tool` never load the UI or the embedded model.
import { readFileSync } from 'node:fs';
import { AGENT_OPTIONS_HELP, SESSION_OPTIONS_HELP, type ModeIO, type ModeRunner } from './modes/options.js';

const MODES: Record<string, () => Promise<{ run: ModeRunner }>> = {
  exec: () => import('./modes/exec.js'),
  fix: () => import('./modes/fix.js'),
  tool: () => import('./modes/tool.js'),
  undo: () => import('./modes/undo.js'),
  sessions: () => import('./modes/sessions.js'),
  init: () => import('./modes/init.js'),
  review: () => import('./modes/review.js'),
  pull: () => import('./modes/pull.js'),
  doctor: () => import('./modes/doctor.js'),
};
/** No subcommand (or a prompt): the terminal UI, one bundled module with Ink and React. */
const INTERACTIVE = () => import('./modes/interactive.js');

const HELP = `gptoss-agent — a local coding agent for gpt-oss

Usage:
  gptoss-agent [PROMPT]             open the interactive terminal UI
  gptoss-agent exec "PROMPT"        one headless turn (--json for JSONL events)
  gptoss-agent fix                  run the tests and fix the code until they pass
  gptoss-agent tool NAME 'ARGS'     run one of the model's tools and print what it reads
  gptoss-agent undo [N]             revert the agent's last N changes in this repository
  gptoss-agent sessions             list this repository's saved sessions (for --resume)
  gptoss-agent init                 propose an AGENTS.md for this repository
  gptoss-agent review               review the staged changes (--json, --sarif FILE, --fail-on, --install-hook)
  gptoss-agent pull [20b|120b|URI]  download a gpt-oss model for the embedded backend
  gptoss-agent doctor               check the GPU, memory, model, sandbox, ripgrep, git and endpoint

Run "gptoss-agent COMMAND --help" for a command's options.

Options of the interactive UI (exec takes them too):
${AGENT_OPTIONS_HELP}
${SESSION_OPTIONS_HELP}
  --resume              (the UI, without an id) choose the session to continue from a list`;

async function main(argv: string[]): Promise<number> {
  const io: ModeIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-V') {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    io.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const mode = first !== undefined ? MODES[first] : undefined;
  try {
    return mode ? await (await mode()).run(rest, io) : await (await INTERACTIVE()).run(argv, io);
  } catch (error) {
    return reportError(error, io, mode ? first! : '');
  }
}

/** Known failures get their message alone; anything else is a bug and keeps its stack. */
function reportError(error: unknown, io: ModeIO, command: string): number {
  const name = (error as Error | undefined)?.name;
  const message = (error as Error | undefined)?.message ?? String(error);
  if (name === 'UsageError') {
    const invocation = command ? `gptoss-agent ${command}` : 'gptoss-agent';
    io.stderr.write(`${invocation}: ${message}\nRun "${invocation} --help" for usage.\n`);
    return 2;
  }
  if (name === 'ConfigError' || name === 'NoModelError' || name === 'WorkspaceError' || name === 'SessionError') {
    io.stderr.write(`${message}\n`);
    return 1;
  }
  io.stderr.write(`gptoss-agent: unexpected error: ${(error as Error)?.stack ?? message}\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`gptoss-agent: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
