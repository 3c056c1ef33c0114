// A real repository with a staged change, and the review's view of it.
import { loadChanges, type ChangedFile } from '../../src/review/changes.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

export interface StagedRepo {
  repo: TempRepo;
  files: ChangedFile[];
  file(path: string): ChangedFile;
}

/** Commits `before`, applies `change`, stages everything and loads the staged change. */
export async function stagedRepo(
  before: Record<string, string | Buffer>,
  change: (repo: TempRepo) => void,
  cleanups: Array<() => void>,
): Promise<StagedRepo> {
  const repo = makeTempRepo(before);
  cleanups.push(() => repo.remove());
  change(repo);
  repo.git('add', '-A');
  const { files } = await loadChanges(repo.root, { kind: 'staged' }, new AbortController().signal);
  return {
    repo,
    files,
    file: (path) => {
      const found = files.find((f) => f.path === path);
      if (!found) throw new Error(`${path} is not in the staged change`);
      return found;
    },
  };
}

/** Lines "line 1" … "line n", newline-terminated. */
export function numberedText(count: number, label = 'line'): string {
  return Array.from({ length: count }, (_, i) => `${label} ${i + 1}\n`).join('');
}
