// A real temporary repository with a session in a temporary state directory,
// and a way to apply changes the way a tool does (recorded for undo).
import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AgentEvent } from '../../src/agent/events.js';
import { Session } from '../../src/agent/session.js';
import { applyFileChanges, type PlannedChange } from '../../tools/changes/file-changes.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

export interface SessionHarness {
  repo: TempRepo;
  workspace: Workspace;
  stateDir: string;
  session: Session;
  events: AgentEvent[];
  /** Applies changes as apply_patch does and records them in the session. */
  apply(changes: PlannedChange[]): Promise<void>;
  /** Opens the session again, as a later process would (the current one is closed first). */
  reopen(): Promise<Session>;
  /** Every path outside .git → bytes and mode; directories too. */
  tree(): Map<string, string>;
  chmod(relative: string, mode: number): void;
  cleanup(): void;
}

export const RUN = {
  instructions: 'You are a test.',
  model: { kind: 'scripted' as const, model: 'scripted' },
  settings: { approval: 'auto-edit' },
};

export async function sessionHarness(files: Record<string, string | Buffer>): Promise<SessionHarness> {
  const repo = makeTempRepo(files);
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-state-'));
  const workspace = await Workspace.open(repo.root);
  const events: AgentEvent[] = [];
  const harness: SessionHarness = {
    repo,
    workspace,
    stateDir,
    events,
    session: await Session.open({ stateDir, workspace, run: RUN, emit: (e) => events.push(e) }),
    async apply(changes) {
      harness.session.hooks().onChangesApplied(await applyFileChanges(workspace, changes));
    },
    async reopen() {
      harness.session.close();
      harness.session = await Session.open({
        stateDir,
        workspace,
        resume: harness.session.id,
        run: RUN,
        emit: (e) => events.push(e),
      });
      return harness.session;
    },
    tree: () => readTree(repo.root),
    chmod: (relative, mode) => chmodSync(path.join(repo.root, relative), mode),
    cleanup() {
      harness.session.close();
      repo.remove();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return harness;
}

function readTree(root: string, dir = root, out = new Map<string, string>()): Map<string, string> {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    if (name === '.git') continue;
    const full = path.join(dir, name);
    const stats = lstatSync(full);
    const relative = path.relative(root, full);
    if (stats.isDirectory()) {
      out.set(`${relative}/`, 'dir');
      readTree(root, full, out);
    } else {
      out.set(relative, `${(stats.mode & 0o7777).toString(8)} ${readFileSync(full).toString('base64')}`);
    }
  }
  return out;
}
