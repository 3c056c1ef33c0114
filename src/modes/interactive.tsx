// `gptoss-agent [PROMPT]`: the interactive terminal UI. The prompt is drawn
// first; the agent (config, backend, tools) is set up behind it, and a model
// that loads shows its progress in the status line. This file is bundled
// with Ink and React into one module at build time: loading hundreds of small
// files would cost more than everything else at startup.
import { render } from 'ink';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { agentDirs } from '../config/paths.js';
import { packagePath } from '../../tools/package/files.js';
import { App } from '../ui/App.js';
import { themeFor } from '../ui/theme.js';
import { InteractiveSession, type SessionEnd } from './interactive-session.js';
import {
  AGENT_OPTIONS,
  AGENT_OPTIONS_HELP,
  configFromFlags,
  parseMode,
  SESSION_OPTIONS,
  sessionChoice,
  takeBareResume,
  projectDir,
  trustFromFlags,
  type ModeIO,
} from './options.js';
import { PromptHistory } from './prompt-history.js';

export const INTERACTIVE_HELP = `Usage: gptoss-agent [options] [PROMPT]

Opens the interactive terminal UI in this repository (PROMPT, if given, is the
first request). Every edit and command is shown for approval first, unless the
approval mode allows it. Type /help inside for commands and keys.
Session:
  -c, --continue        continue the last session in this repository
  --resume [ID]         continue session ID, or choose one of this repository's sessions
${AGENT_OPTIONS_HELP}`;

const OPTIONS = { ...AGENT_OPTIONS, ...SESSION_OPTIONS } as const;

const NOT_A_TERMINAL =
  'gptoss-agent: the interactive UI needs a terminal, and this is not one.\n' +
  'For scripts and pipes, run one headless turn: gptoss-agent exec "PROMPT" (see gptoss-agent exec --help).\n';

// Bracketed paste: the terminal marks pasted text, so a pasted line break is text, not Enter.
const PASTE_ON = '\u001B[?2004h';
const PASTE_OFF = '\u001B[?2004l';

export async function run(argv: string[], io: ModeIO): Promise<number> {
  const bare = takeBareResume(argv);
  const { values, positionals } = parseMode(bare.argv, OPTIONS);
  if (values.help) {
    io.stdout.write(`${INTERACTIVE_HELP}\n`);
    return 0;
  }
  const flags = configFromFlags(values);
  const resume = sessionChoice(values, bare.pick);
  // Checked before the UI starts, so a mistyped -C is a usage error on stderr, not a message in the UI.
  const dir = projectDir(io.cwd, values.cd);
  const stdin = io.stdin as NodeJS.ReadStream;
  const stdout = io.stdout as NodeJS.WriteStream;
  if (!stdin.isTTY || !stdout.isTTY) {
    io.stderr.write(NOT_A_TERMINAL);
    return 2;
  }

  const session = new InteractiveSession({
    // Imported only now, so the agent's code (loop, tools, backends) loads after the first frame.
    setUp: async (hooks) =>
      (await import('./agent-setup.js')).setUpAgent({
        cwd: io.cwd,
        dir: values.cd,
        flags,
        env: io.env,
        unsandboxedAllowed: values['no-sandbox'] ?? false,
        accept: trustFromFlags(values),
        mcp: true,
        // Before the first prompt is sent: what the repository's config would change, trust or ignore.
        askTrust: async (project) => (await import('./trust-offer.js')).askProjectTrust(project, session),
        // --resume without an id: a picker, while the model loads.
        resume: bare.pick
          ? async (root) => (await import('./session-picker.js')).pickSession(root, agentDirs(io.env).state, session)
          : resume,
        ...hooks,
      }),
    // No model yet: the UI offers to download it (asked in a dialog, then a task with progress).
    offerModel: async (error, ui) => (await import('./model-offer.js')).offerModelDownload(error, ui),
    gitStatus: async (root) => (await import('./git-status.js')).readGitStatus(root),
    initProject: async (setup, hooks) => (await import('./init.js')).initInSession(setup, { ...hooks, env: io.env }),
    fixTests: async (setup, hooks) => (await import('./fix.js')).fixInSession(setup, hooks),
    reviewChanges: async (setup, hooks) => (await import('./review.js')).reviewInSession(setup, hooks),
    history: new PromptHistory(path.join(agentDirs(io.env).state, 'history.jsonl')),
    sandbox: values['no-sandbox'] ? 'off' : '…',
    firstPrompt: positionals.join(' '),
  });
  const welcome = { version: packageVersion(), cwd: homeRelative(dir, io.env) };
  stdout.write(PASTE_ON);
  // Raw before the first frame: Ink switches in an effect a moment after it draws, and keys typed once the prompt
  // shows would meet a terminal still in line mode (echoed, Enter turned into a line feed). Ink turns it off again
  // when it unmounts; the exit handler covers a start that fails before that.
  stdin.setRawMode(true);
  const restoreTerminal = () => {
    stdout.write(PASTE_OFF);
    if (!stdin.destroyed) stdin.setRawMode(false);
  };
  process.once('exit', restoreTerminal);
  const app = render(<App session={session} theme={themeFor(io.env)} welcome={welcome} />, {
    stdin,
    stdout,
    stderr: io.stderr as NodeJS.WriteStream,
    exitOnCtrlC: false,
  });
  session.start();

  const leave = () => session.exit();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, leave);
  let end: SessionEnd;
  try {
    end = await Promise.race([
      session.ended,
      // The UI ends by itself only when rendering failed.
      app.waitUntilExit().then(
        (): SessionEnd => ({ kind: 'exit' }),
        (error: unknown): SessionEnd => ({ kind: 'failed', error }),
      ),
    ]);
  } finally {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, leave);
    session.exit();
    // The transcript stays on screen; the input and status line go.
    app.clear();
    app.unmount();
    restoreTerminal();
    process.off('exit', restoreTerminal);
    await session.dispose();
  }
  if (end.kind === 'failed') throw end.error;
  const id = session.sessionId;
  if (id) io.stdout.write(`Session ${id}: continue it with gptoss-agent --resume ${id}\n`);
  return 0;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

function homeRelative(dir: string, env: NodeJS.ProcessEnv): string {
  const home = env.HOME || os.homedir();
  return dir === home || dir.startsWith(`${home}${path.sep}`) ? `~${dir.slice(home.length)}` : dir;
}
