// `gptoss-agent review`: the model reviews a change (the staged one by
// default) with read-only tools and reports findings with file, lines and
// severity, for a person (terminal), a script (--json) or code scanning
// (--sarif). The exit code follows --fail-on, so it can gate a commit.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { AgentEventSink } from '../agent/events.js';
import { buildInstructions } from '../agent/instructions.js';
import { writeFileAtomically } from '../config/atomic-write.js';
import type { AgentConfig } from '../config/config.js';
import type { ModelBackend } from '../model/backend.js';
import { defaultTools } from '../../tools/default-tools.js';
import { checkRevision } from '../../tools/git/arguments.js';
import { runGit } from '../../tools/git/run-git.js';
import { packagePath } from '../../tools/package/files.js';
import { diffCodeContext } from '../review/diff-code-context.js';
import { installHook } from '../review/hook.js';
import { renderReview } from '../review/render-terminal.js';
import { EXIT, exitCodeFor, FAIL_ON, toReport, type FailOn } from '../review/report.js';
import { reviewTools } from '../review/review-tools.js';
import { DEFAULT_REVIEW_BUDGET_TOKENS, runReview, type ReviewAgent, type ReviewResult } from '../review/run-review.js';
import { toSarif } from '../review/sarif.js';
import { symbolCodeContext } from '../review/symbol-code-context.js';
import { describeTarget, nothingToReview, type ReviewTarget } from '../review/target.js';
import type { ReviewView } from '../ui/review-view.js';
import type { Tone } from '../ui/session.js';
import { openProject, setUpAgent, toolNames, toolRegistry, type AgentSetup } from './agent-setup.js';
import { interruptible } from './interrupt.js';
import {
  AGENT_OPTIONS,
  AGENT_OPTIONS_HELP,
  configFromFlags,
  parseMode,
  trustFromFlags,
  UsageError,
  type ModeIO,
} from './options.js';
import { reviewProgress } from './review-progress.js';
import { reviewView } from './review-view.js';
import { approverFor, canAsk } from './terminal-approver.js';
import { painter, renderClean } from './terminal-style.js';

export const REVIEW_HELP = `Usage: gptoss-agent review [--staged | --unstaged | --base REF | --commit SHA] [options]

The model reviews a change and reports findings: file, lines, severity
(high, medium, low, nit) and category. It reads code and may run the tests,
but never edits anything.

What to review (one of):
  --staged              the staged changes: what the next commit holds (default)
  --unstaged            changes not yet staged (untracked files are not included)
  --base REF            what the current branch committed since it left REF
  --commit SHA          one commit
Output:
  --json                the report as one JSON document on stdout (schema in the README)
  --sarif FILE          also write the findings as SARIF 2.1.0 to FILE (code scanning)
  --fail-on LEVEL       exit 1 when a finding is at or above: high (default) | medium | low | never
  --install-hook        install a git pre-commit hook that runs this review (flags given
                        with it, such as --fail-on and --endpoint, are passed on)
Exit codes: 0 no finding at or above --fail-on; 1 there is one; 2 usage error;
3 the review could not be completed (no model, server down, unreadable answer); 130 interrupted.
${AGENT_OPTIONS_HELP}`;

const OPTIONS = {
  ...AGENT_OPTIONS,
  staged: { type: 'boolean' },
  unstaged: { type: 'boolean' },
  base: { type: 'string' },
  commit: { type: 'string' },
  json: { type: 'boolean' },
  sarif: { type: 'string' },
  'fail-on': { type: 'string' },
  'install-hook': { type: 'boolean' },
} as const;

/**
 * `/review` in the UI: the staged changes reviewed by an agent of its own (read-only tools,
 * the review prompt, its own conversation: the session's is left as it was), its work shown
 * as it goes (never its raw JSON answer), then the findings by file.
 */
export async function reviewInSession(
  setup: AgentSetup,
  hooks: {
    signal: AbortSignal;
    emit: AgentEventSink;
    progress(text: string): void;
    print(text: string, tone?: Tone): void;
    show(review: ReviewView): void;
  },
): Promise<void> {
  const { workspace, backend } = setup;
  if (!workspace.isGitRepo) {
    return hooks.print(`/review needs a git repository, and ${workspace.root} is not in one.`, 'warning');
  }
  const target: ReviewTarget = { kind: 'staged' };
  const nothing = await nothingToReview(workspace.root, target, hooks.signal);
  if (nothing) return hooks.print(nothing);
  const reviewer = setup.agent.derive({
    tools: toolRegistry(setup.loaded.config, reviewTools(defaultTools())),
    instructions: await buildInstructions(workspace, 'review.md', toolNames(setup.loaded.config)),
    emit: (event) => {
      if (event.type !== 'answer.delta') hooks.emit(event);
    },
  });
  hooks.progress(`Reviewing ${describeTarget(target)} with ${backend.description.model}`);
  const result = await reviewChanges(reviewer, setup, target, hooks.signal, hooks.progress);
  if (result.aborted) return hooks.print('Review interrupted: no findings to show.', 'warning');
  hooks.show(reviewView(result));
}

/** Flags the pre-commit hook passes on to the review it runs. */
const HOOK_FLAGS = ['fail-on', 'endpoint', 'model', 'reasoning', 'max-steps', 'approval'] as const;

export async function run(argv: string[], io: ModeIO): Promise<number> {
  const { values } = parseMode(argv, OPTIONS, false);
  if (values.help) {
    io.stdout.write(`${REVIEW_HELP}\n`);
    return 0;
  }
  const target = targetFromFlags(values);
  const failOn = (values['fail-on'] ?? 'high') as FailOn;
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be high, medium, low or never (got "${values['fail-on']}")`);
  }
  const flags = configFromFlags(values);
  const accept = trustFromFlags(values);
  const { workspace, recovered } = await openProject(io.cwd, values.cd, flags, io.env, { accept });
  for (const message of recovered) io.stderr.write(`${message}\n`);
  if (!workspace.isGitRepo) {
    throw new UsageError(
      `review needs a git repository, and ${workspace.root} is not in one (run "git init" to start one)`,
    );
  }
  const root = workspace.root;

  if (values['install-hook']) {
    const carried = HOOK_FLAGS.flatMap((flag) =>
      values[flag] !== undefined ? [`--${flag}`, String(values[flag])] : [],
    );
    return installPreCommitHook(root, carried, io);
  }

  await checkTargetExists(root, target);
  try {
    return await interruptible((signal) => reviewAndReport({ io, root, target, failOn, flags, values, signal }));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // Anything that stops the review is exit 3, so a pre-commit hook lets the commit through.
    const plain = error instanceof Error && (KNOWN_ERRORS.includes(error.name) || 'code' in error);
    io.stderr.write(
      `gptoss-agent review: the review could not be completed: ${plain ? error.message : ((error as Error)?.stack ?? String(error))}\n`,
    );
    return EXIT.incomplete;
  }
}

/** Failures whose message says it all; anything else is a bug and keeps its stack. */
const KNOWN_ERRORS = ['ConfigError', 'NoModelError', 'WorkspaceError', 'GitCommandError', 'ToolError'];

interface ReviewRun {
  io: ModeIO;
  root: string;
  target: ReviewTarget;
  failOn: FailOn;
  flags: AgentConfig;
  values: {
    cd?: string | undefined;
    json?: boolean | undefined;
    sarif?: string | undefined;
    'no-sandbox'?: boolean | undefined;
    'trust-project'?: boolean | undefined;
  };
  signal: AbortSignal;
}

async function reviewAndReport({ io, root, target, failOn, flags, values, signal }: ReviewRun): Promise<number> {
  const message = await nothingToReview(root, target, signal);
  if (message) {
    if (values.json) {
      io.stderr.write(`${message}\n`);
      io.stdout.write(`${JSON.stringify(toReport(emptyResult(target), failOn), null, 2)}\n`);
    } else io.stdout.write(`${message}\n`);
    return EXIT.clean;
  }

  const progress = reviewProgress(io);
  const setup = await setUpAgent({
    cwd: io.cwd,
    dir: values.cd,
    flags,
    env: io.env,
    tools: reviewTools(defaultTools()),
    basePrompt: 'review.md',
    record: false,
    emit: progress.emit,
    approver: approverFor(io),
    unsandboxedAllowed: values['no-sandbox'] ?? false,
    accept: trustFromFlags(values),
  });
  try {
    for (const warning of setup.loaded.warnings) io.stderr.write(`warning: ${warning}\n`);
    progress.note(`Reviewing ${describeTarget(target)} with ${setup.backend.description.model}…`);
    const result = await reviewChanges(setup.agent, setup, target, signal, progress.note);
    if (values.json) io.stdout.write(`${JSON.stringify(toReport(result, failOn), null, 2)}\n`);
    else io.stdout.write(renderClean((paint) => renderReview(result, failOn, paint), painter(io.stdout, io.env)));
    const code = exitCodeFor(result, failOn);
    if (values.sarif === undefined) return code;
    // Written after the findings are shown, so a bad path loses nothing.
    const file = path.resolve(io.cwd, values.sarif);
    try {
      await writeFileAtomically(file, `${JSON.stringify(toSarif(result, version()), null, 2)}\n`);
      return code;
    } catch (error) {
      io.stderr.write(`gptoss-agent review: could not write the SARIF log to ${file}: ${(error as Error).message}\n`);
      return code === EXIT.clean ? EXIT.incomplete : code;
    }
  } finally {
    await setup.backend.dispose();
  }
}

/** The review of `target` by `agent` (set up with the review's tools and prompt), each batch within the model's context. */
function reviewChanges(
  agent: ReviewAgent,
  setup: Pick<AgentSetup, 'backend' | 'workspace' | 'services'>,
  target: ReviewTarget,
  signal: AbortSignal,
  progress: (message: string) => void,
): Promise<ReviewResult> {
  const status = setup.backend.status?.();
  const contextSize = status?.state === 'ready' ? status.contextSize : undefined;
  const root = setup.workspace.root;
  return runReview({
    agent,
    root,
    target,
    codeContext: symbolCodeContext({
      workspace: setup.workspace,
      target,
      cacheDir: setup.services.cacheDir,
      fallback: diffCodeContext(root, target),
      note: progress,
    }),
    budgetTokens: contextSize ? Math.min(DEFAULT_REVIEW_BUDGET_TOKENS, Math.floor(contextSize / 2)) : undefined,
    signal,
    progress,
  });
}

function targetFromFlags(values: {
  staged?: boolean | undefined;
  unstaged?: boolean | undefined;
  base?: string | undefined;
  commit?: string | undefined;
}): ReviewTarget {
  const chosen: ReviewTarget[] = [];
  if (values.staged) chosen.push({ kind: 'staged' });
  if (values.unstaged) chosen.push({ kind: 'unstaged' });
  if (values.base !== undefined) chosen.push({ kind: 'base', ref: values.base });
  if (values.commit !== undefined) chosen.push({ kind: 'commit', ref: values.commit });
  if (chosen.length > 1) throw new UsageError('give one of --staged, --unstaged, --base REF and --commit SHA');
  return chosen[0] ?? { kind: 'staged' };
}

async function checkTargetExists(root: string, target: ReviewTarget): Promise<void> {
  if (target.kind !== 'base' && target.kind !== 'commit') return;
  const flag = `--${target.kind}`;
  try {
    checkRevision(target.ref, flag);
    await runGit(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${target.ref}^{commit}`]);
  } catch {
    throw new UsageError(`${flag} "${target.ref}" is not a branch, tag or commit of this repository`);
  }
}

function emptyResult(target: ReviewTarget): ReviewResult {
  return {
    target,
    files: [],
    findings: [],
    rejected: [],
    problems: [],
    complete: true,
    aborted: false,
    batches: 0,
    changes: [],
  };
}

async function installPreCommitHook(root: string, carried: string[], io: ModeIO): Promise<number> {
  const outcome = await installHook({
    root,
    command: [process.execPath, path.resolve(process.argv[1] ?? packagePath('dist', 'src', 'cli.js'))],
    args: carried,
    ...(canAsk(io) ? { confirm: (question: string) => askYesNo(io, question) } : {}),
  });
  switch (outcome.kind) {
    case 'installed':
    case 'updated':
      io.stdout.write(
        `${outcome.kind === 'installed' ? 'Installed' : 'Updated'} the pre-commit hook at ${outcome.path}` +
          `${outcome.backup ? ` (the old one is kept as ${outcome.backup})` : ''}.\n` +
          'Each commit is now reviewed first; skip it once with "git commit --no-verify".\n',
      );
      return 0;
    case 'kept':
      io.stdout.write(`The existing pre-commit hook at ${outcome.path} was left as it was.\n`);
      return 0;
    case 'refused':
      io.stderr.write(
        `A pre-commit hook already exists at ${outcome.path}; it was left alone. ` +
          'Run this command in a terminal to be asked whether to replace it, or add ' +
          '"gptoss-agent review --staged" to that hook yourself.\n',
      );
      return 1;
  }
}

async function askYesNo(io: ModeIO, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    return answer === 'y' || answer === 'yes';
  } finally {
    rl.close();
  }
}

function version(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}
