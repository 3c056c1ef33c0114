// Every mode opens the repository here: its workspace notes each change set
// in a journal while writing it, and whatever an earlier run killed mid-write
// left behind is put back first. The tree is walked for stray temporary files
// only on the first start in a repository (per state directory).
import path from 'node:path';
import { Workspace } from '../../tools/workspace/workspace.js';
import { removeStrayTemps, SweptRecord } from '../../tools/changes/stray-temps.js';
import {
  recoverInterruptedWrites,
  tempsInProgress,
  WriteJournal,
  type Recovery,
} from '../../tools/changes/write-journal.js';
import { WriteLock } from '../../tools/changes/write-lock.js';
import { agentDirs } from '../config/paths.js';

export interface OpenedWorkspace {
  workspace: Workspace;
  /** What was put back, for the user; empty when nothing was interrupted. */
  recovered: string[];
}

export async function openWorkspace(dir: string, env: NodeJS.ProcessEnv): Promise<OpenedWorkspace> {
  const state = agentDirs(env).state;
  const journal = new WriteJournal(path.join(state, 'writes-in-progress'));
  const locks = path.join(state, 'write-locks');
  const workspace = await Workspace.open(dir, { journal, writeLock: new WriteLock(locks) });
  const recovery = await recoverInterruptedWrites(journal, workspace.root);
  const swept = new SweptRecord(path.join(state, 'temps-swept'));
  if (!(await swept.has(workspace.root))) {
    const removed = await sweepStrayTemps(journal, new WriteLock(locks, { waitMs: SWEEP_WAIT_MS }), workspace.root);
    if (removed !== undefined) {
      recovery.removedTemps += removed;
      // Not being able to record it only means the next start walks the tree again.
      await swept.mark(workspace.root).catch(() => {});
    }
  }
  return { workspace, recovered: describe(recovery) };
}

/** How long a start waits for another agent's write before leaving the sweep to a later start. */
const SWEEP_WAIT_MS = 200;

/**
 * Our temporary files that no note named (a full disk in an earlier version, a
 * journal lost with the state directory). Under the write lock, so no other agent
 * is mid-write; the temporary files of a process that writes without it are
 * spared by its note. Undefined when another agent is writing: a later start sweeps.
 */
async function sweepStrayTemps(journal: WriteJournal, lock: WriteLock, root: string): Promise<number | undefined> {
  try {
    return await lock.hold(root, async () => removeStrayTemps(root, await tempsInProgress(journal)));
  } catch {
    return undefined;
  }
}

function describe({ restored, kept, removedTemps }: Recovery): string[] {
  if (restored.length + kept.length + removedTemps === 0) return [];
  const lines = ['An earlier run was stopped while it wrote a change to this repository.'];
  if (restored.length > 0) lines.push(`Put back as they were before that change: ${restored.join(', ')}.`);
  if (kept.length > 0) lines.push(`Left as they are, since they changed again after it: ${kept.join(', ')}.`);
  if (removedTemps > 0) lines.push(`Removed ${removedTemps} temporary file(s) it left.`);
  return [lines.join(' ')];
}
