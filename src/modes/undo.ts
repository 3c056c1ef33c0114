// `gptoss-agent undo [N]`: reverts the last N change sets the agent applied in
// the last session in this repository (or --session ID), outside the UI.
// Exit 0 when undone, 1 when there is nothing to undo or a file changed since.
import { Session } from '../agent/session.js';
import { agentDirs } from '../config/paths.js';
import { openWorkspace } from './open-workspace.js';
import { parseMode, projectDir, UsageError, type ModeIO } from './options.js';
import { paintDiff, painter } from './terminal-style.js';

export const UNDO_HELP = `Usage: gptoss-agent undo [N] [options]

Reverts the last N (default 1) changes the agent applied in the last session
in this repository: created files are removed, edited, deleted and moved files
come back byte for byte with their modes. Refuses, changing nothing, when a
file was edited since the agent wrote it. Never touches the git index, the
stash or branches.

Options:
  --session ID          undo in session ID ("gptoss-agent sessions" lists them)
  -C, --cd DIR          run in DIR`;

const OPTIONS = {
  session: { type: 'string' },
  cd: { type: 'string', short: 'C' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(argv: string[], io: ModeIO): Promise<number> {
  const { values, positionals } = parseMode(argv, OPTIONS);
  if (values.help) {
    io.stdout.write(`${UNDO_HELP}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError('undo takes at most one number');
  const count = positionals[0] === undefined ? 1 : Number(positionals[0]);
  if (!Number.isInteger(count) || count < 1) {
    throw new UsageError(`N must be a positive whole number (got "${positionals[0]}")`);
  }

  const { workspace, recovered } = await openWorkspace(projectDir(io.cwd, values.cd), io.env);
  for (const message of recovered) io.stderr.write(`${message}\n`);
  const session = await Session.open({
    stateDir: agentDirs(io.env).state,
    workspace,
    resume: values.session ?? 'last',
    emit: () => {},
  });
  try {
    const paint = painter(io.stdout, io.env);
    const outcome = await session.undo(count);
    if (!outcome.ok) {
      io.stderr.write(`${outcome.message}\n`);
      for (const conflict of outcome.conflicts) {
        io.stderr.write(`\n${conflict.path}: ${conflict.reason}\n${paintDiff(conflict.diff.trimEnd(), paint)}\n`);
      }
      if (outcome.conflicts.length === 0 && session.undoable().length === 0 && !values.session) {
        io.stderr.write(
          `That is session ${session.id}, the last one in this repository. ` +
            'For an earlier one: gptoss-agent undo --session ID ("gptoss-agent sessions" lists them).\n',
        );
      }
      return 1;
    }
    const files = outcome.files.map((f) => `  ${f.change} ${f.path}`).join('\n');
    io.stdout.write(`Undid ${outcome.undone.length} change(s) of session ${session.id}:\n${files}\n`);
    if (outcome.diff) io.stdout.write(`\n${paintDiff(outcome.diff.trimEnd(), paint)}\n`);
    return 0;
  } finally {
    session.close();
  }
}
