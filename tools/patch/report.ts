// The words that describe an applied (or proposed) patch: the approval title,
// the line the model reads back, and the few words the UI shows.
import { plural } from '../text/plural.js';
import type { FileChangeSummary } from '../tool.js';

const LETTER: Record<FileChangeSummary['change'], string> = { add: 'A', update: 'M', delete: 'D', move: 'R' };

/** Files the approval title names before it says "and N more". */
const TITLE_FILES = 4;

/** "Edit src/a.ts, old.ts -> new.ts"; "Add b.py" or "Delete old.ts" when every file is added or deleted. */
export function editTitle(files: readonly FileChangeSummary[]): string {
  const shown = files.slice(0, TITLE_FILES).map(displayPath).join(', ');
  const more = files.length - TITLE_FILES;
  const all = (change: FileChangeSummary['change']) =>
    files.length > 0 && files.every((file) => file.change === change);
  const verb = all('add') ? 'Add' : all('delete') ? 'Delete' : 'Edit';
  return `${verb} ${shown}${more > 0 ? ` and ${more} more` : ''}`;
}

/** "Applied: M src/a.ts (+3 -1), A src/new.ts (+10), D old.ts, R a.ts -> b.ts" */
export function appliedLine(files: readonly FileChangeSummary[]): string {
  return `Applied: ${files.map((file) => `${LETTER[file.change]} ${displayPath(file)}${counts(file)}`).join(', ')}`;
}

/** "2 files, +13 -1" */
export function changeSummary(files: readonly FileChangeSummary[]): string {
  const added = files.reduce((sum, file) => sum + file.added, 0);
  const removed = files.reduce((sum, file) => sum + file.removed, 0);
  return `${plural(files.length, 'file')}, +${added} -${removed}`;
}

function displayPath(file: FileChangeSummary): string {
  return file.movedTo ? `${file.path} -> ${file.movedTo}` : file.path;
}

function counts(file: FileChangeSummary): string {
  switch (file.change) {
    case 'add':
      return ` (+${file.added})`;
    case 'delete':
      return '';
    case 'update':
      return ` (+${file.added} -${file.removed})`;
    case 'move':
      return file.added + file.removed > 0 ? ` (+${file.added} -${file.removed})` : '';
  }
}
