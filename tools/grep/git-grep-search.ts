// The grep backend for machines without ripgrep: `git grep` over tracked and
// untracked, not ignored files. git grep cannot mark which printed lines are
// context once file names are printed verbatim (-z), so it reports matches
// only, and the context lines are read from each file and replayed to the
// collector in the order ripgrep would have sent them.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { GrepOutcome, GrepSearch } from './search.js';
import { prepareHostGit } from '../git/host-git.js';
import { spawnLines } from '../processes/spawn-lines.js';

/** Files bigger than this get no context lines in the fallback (they would be read whole). */
const CONTEXT_FILE_LIMIT = 8 * 1024 * 1024;

interface MatchLine {
  line: number;
  text: string;
}

export async function gitGrepSearch(search: GrepSearch): Promise<GrepOutcome> {
  const { workspace, at, collector } = search;
  const span = spanFinder(search.pattern, search.caseInsensitive);
  // As git printed it (relative to the directory it runs in), and as the model sees it.
  let printed = '';
  let file = '';
  let matches: MatchLine[] = [];

  // Hands one file's matches (and their context) to the collector.
  const flush = (): 'stop' | undefined => {
    if (matches.length === 0) return undefined;
    const lines = search.context > 0 ? fileLines(path.join(at.cwd, printed)) : undefined;
    const last = lines?.length ?? 0;
    let emitted = 0;
    for (let i = 0; i < matches.length; i++) {
      const { line, text } = matches[i]!;
      if (lines) {
        for (let n = Math.max(emitted + 1, line - search.context); n < line; n++) {
          collector.contextLine(file, n, lines[n - 1] ?? '');
        }
      }
      if (collector.match(file, line, text, span(text)) === 'stop') return 'stop';
      emitted = line;
      if (lines) {
        const next = matches[i + 1]?.line ?? Number.POSITIVE_INFINITY;
        const to = Math.min(line + search.context, next - 1, last);
        for (let n = line + 1; n <= to; n++) collector.contextLine(file, n, lines[n - 1] ?? '');
        emitted = Math.max(emitted, to);
      }
    }
    matches = [];
    return undefined;
  };

  // Literal pathspecs (a path named ":x" is a name); no column numbers, whatever the user's config says.
  const args = [
    '--literal-pathspecs',
    '-c',
    'grep.column=false',
    'grep',
    '-n',
    '-z',
    '-I',
    '--untracked',
    '--no-color',
    '-E',
  ];
  if (search.caseInsensitive) args.push('-i');
  args.push('-e', search.pattern, '--', at.operand);
  let git;
  try {
    git = await prepareHostGit(workspace.root, args);
  } catch (error) {
    return { ok: false, problem: 'failed', message: `git grep could not run: ${(error as Error).message}` };
  }
  const result = await spawnLines(git.program, git.argv, {
    cwd: at.cwd,
    env: git.env,
    signal: search.signal,
    onRecord(record) {
      // "path\0line\0text": -z prints the path verbatim, whatever it contains.
      const first = record.indexOf('\0');
      const second = record.indexOf('\0', first + 1);
      if (first === -1 || second === -1) return undefined;
      const name = record.slice(0, first);
      if (name !== printed) {
        if (flush() === 'stop') return 'stop';
        printed = name;
        file = at.toRoot(name);
      }
      matches.push({
        line: Number(record.slice(first + 1, second)),
        text: record.slice(second + 1).replace(/\r$/, ''),
      });
      return undefined;
    },
  });
  if (result.stopped) return { ok: true };
  flush();
  // Exit 0: matches; 1: none; 128: an error (an invalid regex among them).
  if (result.code === 0 || result.code === 1) return { ok: true };
  const message = result.stderr.replace(/^fatal: /gm, '').trim() || `git grep failed (exit ${result.code}).`;
  const pattern = /command line|regex|unmatched|invalid/i.test(message);
  return { ok: false, problem: pattern ? 'pattern' : 'failed', message };
}

function fileLines(absolute: string): string[] | undefined {
  try {
    if (statSync(absolute).size > CONTEXT_FILE_LIMIT) return undefined;
    const lines = readFileSync(absolute, 'utf8').split(/\r?\n/);
    // A final newline ends the last line; it does not start another.
    if (lines.at(-1) === '') lines.pop();
    return lines;
  } catch {
    return undefined;
  }
}

/**
 * Where the first match sits in a line, for cutting long lines around it.
 * POSIX extended syntax is close enough to JavaScript's for this; when it is
 * not, lines are cut from the start instead.
 */
function spanFinder(pattern: string, caseInsensitive: boolean): (text: string) => [number, number] | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, caseInsensitive ? 'i' : '');
  } catch {
    return () => undefined;
  }
  return (text) => {
    const found = regex.exec(text);
    return found ? [found.index, found.index + found[0].length] : undefined;
  };
}
