// Every mode opens the repository here: its workspace notes each change set
// in a journal while writing it, and whatever an earlier run killed mid-write
// left behind is put back first.
import path from 'node:path';
import { Workspace } from '../../tools/workspace.js';
import { recoverInterruptedWrites, WriteJournal, type Recovery } from '../../tools/write-journal.js';
import { WriteLock } from '../../tools/write-lock.js';
import { agentDirs } from '../config/paths.js';

export interface OpenedWorkspace {
  workspace: Workspace;
  /** What was put back, for the user; empty when nothing was interrupted. */
  recovered: string[];
}

export async function openWorkspace(dir: string, env: NodeJS.ProcessEnv): Promise<OpenedWorkspace> {
  const state = agentDirs(env).state;
  const journal = new WriteJournal(path.join(state, 'writes-in-progress'));
  const workspace = await Workspace.open(dir, { journal, writeLock: new WriteLock(path.join(state, 'write-locks')) });
  return { workspace, recovered: describe(await recoverInterruptedWrites(journal, workspace.root)) };
}

function describe({ restored, kept, removedTemps }: Recovery): string[] {
  if (restored.length + kept.length + removedTemps === 0) return [];
  const lines = ['An earlier run was stopped while it wrote a change to this repository.'];
  if (restored.length > 0) lines.push(`Put back as they were before that change: ${restored.join(', ')}.`);
  if (kept.length > 0) lines.push(`Left as they are, since they changed again after it: ${kept.join(', ')}.`);
  if (removedTemps > 0) lines.push(`Removed ${removedTemps} temporary file(s) it left.`);
  return [lines.join(' ')];
}
