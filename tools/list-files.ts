// list_files: the files under a directory, .gitignore respected, sorted and
// capped, with a note on where the rest are when the cap cuts.
import { CappedPathList } from './files/capped-path-list.js';
import { walkFiles, type FileSourceName } from './files/file-sources.js';
import { compileGlob } from './files/glob.js';
import { statForRead } from './files/missing-path.js';
import { promptText } from './package/files.js';
import { plural } from './text/plural.js';
import { findRipgrep, type RipgrepLocator } from './grep/ripgrep.js';
import { defineTool, ToolError, type Tool, type ToolResult } from './tool.js';
import type { ReadSeams } from './workspace/anchored-read.js';
import { AnchoredTree } from './workspace/anchored-tree.js';

export interface ListFilesArgs {
  path?: string;
  pattern?: string;
  limit?: number;
}

export const DEFAULT_LIST_LIMIT = 200;
/** The walk stops after this many matching files; the listing then says it is incomplete. */
export const LIST_SCAN_LIMIT = 100_000;
/** How many of the biggest subdirectories the cap note names. */
const BUSY_DIRECTORIES = 5;
/** Paths kept beyond the limit, to stand in for shown ones found deleted (git's index still lists them). */
const DELETED_MARGIN = 32;

export interface ListFilesData {
  /** The directory listed, relative to the root ('.' for the root). */
  path: string;
  pattern?: string;
  /** The files shown, relative to the root, in tree order. */
  files: string[];
  /** Matching files found (a lower bound when `complete` is false). */
  total: number;
  /** False when the walk stopped at its scan limit (LIST_SCAN_LIMIT). */
  complete: boolean;
  source: FileSourceName;
  warning?: string;
}

export interface ListFilesDependencies {
  /** Where ripgrep is (injected so tests can take the git and walk fallbacks). */
  findRipgrep: RipgrepLocator;
  /** Files after which the walk stops; LIST_SCAN_LIMIT unless a test needs a small one. */
  scanLimit?: number;
  /** Tests change the tree here, after the guard checked the path and before the walk starts. */
  seams?: ReadSeams;
}

export function createListFilesTool(deps: ListFilesDependencies = { findRipgrep }): Tool<ListFilesArgs> {
  const scanLimit = deps.scanLimit ?? LIST_SCAN_LIMIT;
  return defineTool<ListFilesArgs>({
    name: 'list_files',
    kind: 'read',
    description: promptText('tools/list_files.md'),
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'Directory; default the root' },
        pattern: { type: 'string', description: 'Glob relative to path, e.g. *.md or src/**/*.ts' },
        limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'Default 200' },
      },
      additionalProperties: false,
    },
    describe(args) {
      const dir = args.path && args.path !== '.' ? args.path.replace(/\/+$/, '') : '';
      if (!args.pattern) return `list ${dir || '.'}`;
      return `list ${dir ? `${dir}/` : ''}${args.pattern}`;
    },
    async execute(args, ctx): Promise<ToolResult> {
      const { resolved, info } = await statForRead(ctx.workspace, args.path ?? '.', 'directory');
      const dir = resolved.relative;
      if (!info.isDirectory()) {
        throw new ToolError(
          `${dir} is a file, not a directory. Read it with read_file, or list the directory it is in.`,
        );
      }
      if (dir.split('/').includes('.git')) {
        throw new ToolError(`${dir} is inside .git, git's own storage; list_files never lists it.`);
      }
      const glob = args.pattern ? compileGlob(args.pattern) : undefined;
      const limit = args.limit ?? DEFAULT_LIST_LIMIT;
      const prefix = dir === '.' ? '' : `${dir}/`;

      const list = new CappedPathList(limit + DELETED_MARGIN);
      const perDirectory = new Map<string, number>();
      const walk = await walkFiles({
        workspace: ctx.workspace,
        dir,
        rg: await deps.findRipgrep(),
        ...(glob?.nameGlob ? { nameGlob: glob.nameGlob } : {}),
        signal: ctx.signal,
        ...(deps.seams ? { seams: deps.seams } : {}),
        onFile(relative) {
          // A glob may be written relative to path (as documented) or to the root.
          if (glob && !glob.matches(relative.slice(prefix.length)) && !glob.matches(relative)) return undefined;
          list.add(relative);
          const top = topDirectory(relative, prefix);
          if (top) perDirectory.set(top, (perDirectory.get(top) ?? 0) + 1);
          return list.total >= scanLimit ? 'stop' : undefined;
        },
      });

      let kept = list.paths();
      let total = list.total;
      {
        // Only the paths about to be shown are checked: a check of every path would cost more than the listing.
        // git's index still lists deleted files, and a directory swapped for a link mid-walk would have a
        // program list what lies outside: each path is looked up again without following links.
        const gone = await missingPaths(ctx.workspace.root, kept);
        kept = kept.filter((relative) => !gone.has(relative));
        total -= gone.size;
        for (const relative of gone) {
          const top = topDirectory(relative, prefix);
          if (top) perDirectory.set(top, perDirectory.get(top)! - 1);
        }
      }
      const files = kept.slice(0, limit);
      const complete = !walk.stopped;
      const data: ListFilesData = {
        path: dir,
        ...(args.pattern ? { pattern: args.pattern } : {}),
        files,
        total,
        complete,
        source: walk.source,
        ...(walk.warning ? { warning: walk.warning } : {}),
      };
      const where = dir === '.' ? 'the repository' : dir;
      const warning = walk.warning ? [`[Note: ${walk.warning}]`] : [];
      if (files.length === 0) {
        const what = args.pattern ? `No files match ${args.pattern} in ${where}` : `No files in ${where}`;
        return {
          output: [`${what} (files ignored by .gitignore are not listed).`, ...warning].join('\n'),
          data,
          summary: 'no files',
        };
      }
      const lines = [...files];
      const cut = total > files.length || !complete;
      if (cut) lines.push(capNote(files.length, total, complete, perDirectory));
      return {
        output: [...lines, ...warning].join('\n'),
        data,
        summary: cut ? `${files.length} of ${total}${complete ? '' : '+'} files` : plural(files.length, 'file'),
        moreHint: 'list_files with a narrower path or pattern',
      };
    },
  });
}

export const listFilesTool = createListFilesTool();

/** The first directory below the listed one that holds `relative` ("src/deep/" for src/deep/a.ts under src), if any. */
function topDirectory(relative: string, prefix: string): string | undefined {
  const slash = relative.indexOf('/', prefix.length);
  return slash === -1 ? undefined : relative.slice(0, slash + 1);
}

/** The paths that do not name a file inside the repository (looked up without following links). */
async function missingPaths(root: string, paths: readonly string[]): Promise<Set<string>> {
  const gone = new Set<string>();
  const tree = new AnchoredTree(root);
  try {
    for (const relative of paths) if (!(await tree.exists(relative))) gone.add(relative);
  } finally {
    await tree.close();
  }
  return gone;
}

function capNote(shown: number, total: number, complete: boolean, perDirectory: Map<string, number>): string {
  const of = complete ? `${total}` : `${total}+`;
  const busiest = [...perDirectory.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, BUSY_DIRECTORIES)
    .map(([directory, count]) => `${directory} (${count})`);
  const among = perDirectory.size > busiest.length ? ` of ${perDirectory.size}` : '';
  const largest = busiest.length > 0 ? ` Largest${among} directories: ${busiest.join(', ')}.` : '';
  return `[${shown} of ${of} files shown.${largest} Narrow with path or pattern.]`;
}
