// `gptoss-agent sessions`: the saved sessions of this repository, the most
// recently active first, with the ids that --resume and undo --session take.
import { listSessions } from '../agent/session-store.js';
import { agentDirs } from '../config/paths.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { parseMode, projectDir, type ModeIO } from './options.js';

export const SESSIONS_HELP = `Usage: gptoss-agent sessions [options]

Lists the saved sessions of this repository, the most recent first.
Continue one in the UI with "gptoss-agent --resume ID" (--resume alone offers
a list), headless with "gptoss-agent exec --resume ID", or the last with --continue.

Options:
  --json                one JSON object per session
  -C, --cd DIR          run in DIR`;

const OPTIONS = {
  json: { type: 'boolean' },
  cd: { type: 'string', short: 'C' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(argv: string[], io: ModeIO): Promise<number> {
  const { values } = parseMode(argv, OPTIONS, false);
  if (values.help) {
    io.stdout.write(`${SESSIONS_HELP}\n`);
    return 0;
  }
  const workspace = await Workspace.open(projectDir(io.cwd, values.cd));
  const sessions = await listSessions(workspace.root, agentDirs(io.env).state);
  if (values.json) {
    for (const session of sessions) io.stdout.write(`${JSON.stringify(session)}\n`);
    return 0;
  }
  if (sessions.length === 0) {
    io.stderr.write(`No saved sessions for ${workspace.root} yet.\n`);
    return 0;
  }
  for (const s of sessions) {
    const when = s.updatedAt.slice(0, 16).replace('T', ' ');
    io.stdout.write(`${s.id}  ${when}  ${s.title || '(no prompt)'}\n`);
  }
  return 0;
}
