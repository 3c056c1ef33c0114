// A change set is written to temporary files beside its targets, then renamed
// into place one file at a time. A process killed in between (kill -9, a
// power cut of the terminal) would leave temporary files, or a set half
// applied, in the user's repository. So each set is noted first in a journal
// of this process: the temporary files, what every target was and what it is
// to become. The note is removed once the set is in place or rolled back; the
// next start in the repository puts back whatever a killed process left.
import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openAnchoredDir } from '../workspace/anchored-dir.js';
import type { ChangeJournal, JournalFile } from './change-journal.js';
import { contentHash, isTempName, restoreFiles, tempPathNamed, type RestoringStep } from './file-changes.js';
import { isInside } from '../workspace/workspace.js';
import { processIsAlive } from '../processes/process-alive.js';

interface JournalRecord {
  root: string;
  temps: string[];
  /** Directories the set creates for new files, outermost first. */
  dirs?: string[];
  files: { path: string; existed: boolean; bytes?: string; mode?: number; planned: string | null }[];
}

/** Tells one process's journals from another's even when a process id comes round again. */
const processToken = `${process.pid}-${randomBytes(6).toString('hex')}`;
let sequence = 0;

export class WriteJournal implements ChangeJournal {
  constructor(readonly dir: string) {}

  /**
   * Notes a set before its first write; the returned function removes the note,
   * or with `abandon` (the set could not be rolled back) hands it to the next
   * start of any agent in the repository, as if this process had been killed.
   */
  async begin(
    root: string,
    temps: string[],
    dirs: string[],
    files: JournalFile[],
  ): Promise<(outcome?: 'abandon') => Promise<void>> {
    const record: JournalRecord = {
      root,
      temps,
      dirs,
      files: files.map(({ bytes, ...file }) => ({ ...file, ...(bytes ? { bytes: bytes.toString('base64') } : {}) })),
    };
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, `${processToken}-${sequence++}.json`);
    await writeFile(file, JSON.stringify(record));
    return async (outcome) => {
      // Owner pid 0 is never alive: the next recovery takes the note.
      if (outcome === 'abandon') await rename(file, path.join(this.dir, `0-${randomBytes(6).toString('hex')}-0.json`));
      else await unlink(file).catch(() => {});
    };
  }
}

export interface Recovery {
  /** Paths (relative to the root) put back as they were before the interrupted set. */
  restored: string[];
  /** Paths left alone because they changed again since, with what they are now. */
  kept: string[];
  /** Temporary files removed. */
  removedTemps: number;
}

/**
 * Undoes what killed processes left half-written in the repository at `root`:
 * removes their temporary files and puts back every target that holds what
 * the set was writing. A file that holds something else (the user has been
 * at it since) is left as it is and named.
 */
export async function recoverInterruptedWrites(
  journal: WriteJournal,
  root: string,
  /** Tests kill the process here, between a file's temporary copy and its rename. */
  restoring?: RestoringStep,
): Promise<Recovery> {
  const recovery: Recovery = { restored: [], kept: [], removedTemps: 0 };
  const names = await readdir(journal.dir).catch(() => [] as string[]);
  for (const name of names) {
    const note = name.replace(/\.[^.]+\.recovering$/, '');
    if (!note.endsWith('.json') || name.includes(processToken) || ownerIsAlive(name)) continue;
    // Claim it first: two agents starting at once must not both put files back.
    const claimed = path.join(journal.dir, `${note}.${processToken}.recovering`);
    if (!(await succeeds(rename(path.join(journal.dir, name), claimed)))) continue;
    const record = parse(await readFile(claimed, 'utf8').catch(() => ''));
    if (record && record.root !== root) {
      // Another repository's: it is recovered when that one is opened.
      await rename(claimed, path.join(journal.dir, note)).catch(() => {});
      continue;
    }
    // Unreadable: the process died writing the note, before any file was touched.
    if (record) await putBack(record, note, recovery, restoring);
    await unlink(claimed).catch(() => {});
  }
  return recovery;
}

/** The temporary files that running processes (this one included) are writing now, by their notes. */
export async function tempsInProgress(journal: WriteJournal): Promise<Set<string>> {
  const temps = new Set<string>();
  for (const name of await readdir(journal.dir).catch(() => [] as string[])) {
    if (!name.includes(processToken) && !ownerIsAlive(name)) continue;
    const record = parse(await readFile(path.join(journal.dir, name), 'utf8').catch(() => ''));
    for (const temp of record?.temps ?? []) temps.add(temp);
  }
  return temps;
}

async function putBack(
  record: JournalRecord,
  note: string,
  recovery: Recovery,
  restoring: RestoringStep | undefined,
): Promise<void> {
  // Putting a file back goes through a temporary file named after the note and the file: should this process be
  // killed meanwhile, the next recovery of the same note knows that name too and removes it first.
  const restoreTemp = (file: string) =>
    tempPathNamed(file, createHash('sha256').update(`${note}\0${file}`).digest('hex').slice(0, 16));
  for (const temp of [...record.temps, ...record.files.map((file) => restoreTemp(file.path))]) {
    if (await removeTemp(record.root, temp)) recovery.removedTemps++;
  }
  for (const file of record.files) {
    const relative = path.relative(record.root, file.path);
    const bytes = file.bytes === undefined ? undefined : Buffer.from(file.bytes, 'base64');
    const now = await currentContent(file.path);
    const nowHash = now === undefined ? null : now === 'other' ? 'other' : contentHash(now);
    if (nowHash === (file.existed ? contentHash(bytes ?? '') : null)) continue;
    if (nowHash !== file.planned) {
      recovery.kept.push(relative);
      continue;
    }
    const was = { path: relative, existed: file.existed, ...(bytes ? { bytes } : {}) };
    await restoreFiles(
      record.root,
      [
        {
          absolute: file.path,
          was: file.mode === undefined ? was : { ...was, mode: file.mode },
          temp: restoreTemp(file.path),
        },
      ],
      restoring,
    );
    recovery.restored.push(relative);
  }
  // Only the empty ones go: rmdir fails on a directory that holds anything.
  for (const dir of [...(record.dirs ?? [])].reverse()) await rmdir(dir).catch(() => {});
}

/** Removes a temporary file a note names: only one of ours, inside the root, reached without following links. */
async function removeTemp(root: string, temp: string): Promise<boolean> {
  const relative = path.relative(root, temp);
  if (!isTempName(path.basename(temp)) || !isInside(root, temp) || relative === '') return false;
  const dir = await openAnchoredDir(root, path.dirname(relative)).catch(() => undefined);
  if (!dir) return false;
  try {
    return await succeeds(unlink(dir.entry(path.basename(relative))));
  } finally {
    await dir.close();
  }
}

const succeeds = (step: Promise<unknown>): Promise<boolean> =>
  step.then(
    () => true,
    () => false,
  );

/** The bytes of a regular file, undefined when there is none, 'other' for anything else. */
async function currentContent(file: string): Promise<Buffer | undefined | 'other'> {
  try {
    if (!(await lstat(file)).isFile()) return 'other';
    return await readFile(file);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : 'other';
  }
}

/** Whether the process that wrote the note, or that is putting it back (a name ending in .recovering), runs. */
function ownerIsAlive(name: string): boolean {
  const owner = name.endsWith('.recovering') ? name.split('.').at(-2)! : name;
  const pid = Number(owner.split('-')[0]);
  return pid !== process.pid && processIsAlive(pid);
}

function parse(text: string): JournalRecord | undefined {
  try {
    const record = JSON.parse(text) as JournalRecord;
    return typeof record.root === 'string' && Array.isArray(record.temps) && Array.isArray(record.files)
      ? record
      : undefined;
  } catch {
    return undefined;
  }
}
