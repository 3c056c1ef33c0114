// grep: a regular-expression search over the workspace's files, .gitignore
// respected, with ripgrep when it can be found and git grep when not.
import { compileGlob } from './files/glob.js';
import { gitGrepSearch } from './grep/git-grep-search.js';
import { formatGrepMatches } from './grep/format.js';
import { GrepCollector, type GrepMatch } from './grep/match.js';
import { ripgrepSearch } from './grep/ripgrep-search.js';
import type { GrepOutcome, GrepSearch } from './grep/search.js';
import { statForRead } from './files/missing-path.js';
import { verifyMatches } from './grep/verify-matches.js';
import { openAnchoredCwd } from './workspace/anchored-cwd.js';
import type { ReadSeams } from './workspace/anchored-read.js';
import { promptText } from './package/files.js';
import { plural } from './text/plural.js';
import { findRipgrep, INSTALL_RIPGREP_HINT, type RipgrepLocator } from './grep/ripgrep.js';
import { defineTool, ToolError, type Tool, type ToolResult } from './tool.js';

export interface GrepArgs {
  pattern: string;
  path?: string;
  glob?: string;
  context?: number;
  case_insensitive?: boolean;
  limit?: number;
}

export const DEFAULT_GREP_LIMIT = 100;
export const MAX_CONTEXT = 5;
export const GREP_MAX_LINE_CHARS = 300;
/** The search stops after this many matching lines; totals are then lower bounds ("5000+"). */
export const GREP_STORE_LIMIT = 5000;

export interface GrepData {
  pattern: string;
  /** The file or directory searched, relative to the root. */
  path: string;
  glob?: string;
  /** The matches shown, by file then line. */
  matches: GrepMatch[];
  /** Matching lines found (a lower bound when `complete` is false). */
  totalMatches: number;
  totalFiles: number;
  complete: boolean;
  source: 'ripgrep' | 'git grep';
  warning?: string;
}

export interface GrepDependencies {
  /** Where ripgrep is (injected so tests can take the git grep fallback). */
  findRipgrep: RipgrepLocator;
  /** Matching lines after which the search stops; GREP_STORE_LIMIT unless a test needs a small one. */
  storeLimit?: number;
  /** Tests change the tree here, after the guard checked the path and before the search starts. */
  seams?: ReadSeams;
}

export function createGrepTool(deps: GrepDependencies = { findRipgrep }): Tool<GrepArgs> {
  const storeLimit = deps.storeLimit ?? GREP_STORE_LIMIT;
  return defineTool<GrepArgs>({
    name: 'grep',
    kind: 'read',
    description: promptText('tools/grep.md'),
    parameters: {
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'Rust regex; escape ( [ { . * + ? | to match them literally' },
        path: { type: 'string', description: 'File or directory; default the root' },
        glob: { type: 'string', description: 'Only files matching, e.g. *.ts' },
        context: { type: 'integer', minimum: 0, maximum: MAX_CONTEXT, description: 'Lines around each match' },
        case_insensitive: { type: 'boolean' },
        limit: { type: 'integer', minimum: 1, maximum: 500, description: 'Max matches, default 100' },
      },
      required: ['pattern'],
      additionalProperties: false,
    },
    describe(args) {
      const where = args.path && args.path !== '.' ? ` in ${args.path}` : '';
      const glob = args.glob ? ` (${args.glob})` : '';
      return `grep /${args.pattern}/${args.case_insensitive ? 'i' : ''}${where}${glob}`;
    },
    async execute(args, ctx): Promise<ToolResult> {
      if (args.pattern === '') throw new ToolError('The pattern is empty. Give a regular expression to search for.');
      const { resolved, info } = await statForRead(ctx.workspace, args.path ?? '.', 'file or directory');
      const target = resolved.relative;
      if (target.split('/').includes('.git')) {
        throw new ToolError(`${target} is inside .git, git's own storage; grep never searches it.`);
      }
      const glob = args.glob ? compileGlob(args.glob) : undefined;
      const limit = args.limit ?? DEFAULT_GREP_LIMIT;
      const context = Math.min(Math.max(args.context ?? 0, 0), MAX_CONTEXT);
      const prefix = target === '.' || info.isFile() ? '' : `${target}/`;
      const collector = new GrepCollector({
        context,
        maxLineChars: GREP_MAX_LINE_CHARS,
        storeLimit: Math.max(storeLimit, limit),
        ...(glob
          ? {
              // Written relative to path (as documented) or to the root: either counts.
              accept: (file: string) =>
                glob.matches(file) || (file.startsWith(prefix) && glob.matches(file.slice(prefix.length))),
            }
          : {}),
      });
      const rg = await deps.findRipgrep();
      if (!rg && !ctx.workspace.isGitRepo) {
        throw new ToolError(
          `grep cannot search: ripgrep (rg) is not installed and this is not a git repository. ${INSTALL_RIPGREP_HINT}`,
        );
      }
      // The search runs in the directory the guard checked, held open: a link swapped in meanwhile is not followed.
      const at = await openAnchoredCwd(ctx.workspace.root, target, {
        isFile: info.isFile(),
        what: 'searched',
        ...(deps.seams ? { seams: deps.seams } : {}),
      });
      const search: GrepSearch = {
        workspace: ctx.workspace,
        target,
        at,
        pattern: args.pattern,
        caseInsensitive: args.case_insensitive === true,
        context,
        ...(glob?.nameGlob ? { nameGlob: glob.nameGlob } : {}),
        signal: ctx.signal,
        collector,
      };

      const source = rg ? 'ripgrep' : 'git grep';
      let outcome: GrepOutcome;
      try {
        outcome = rg ? await ripgrepSearch(rg, search) : await gitGrepSearch(search);
      } finally {
        await at.close();
      }
      // git grep speaks another regex dialect; say so whenever it matters.
      const dialect = rg ? '' : ' (ripgrep is not installed, so git grep ran it: POSIX extended regex, [0-9] for \\d)';
      if (!outcome.ok) {
        if (outcome.problem === 'pattern') {
          throw new ToolError(
            `Invalid pattern /${args.pattern}/${dialect}: ${outcome.message}\n` +
              'To match a special character ( ) [ ] { } . * + ? | ^ $ \\ literally, escape it with a backslash, e.g. \\( or \\.',
          );
        }
        throw new ToolError(`grep failed: ${outcome.message}`);
      }

      const where = target === '.' ? 'the repository' : target;
      const filtered = glob ? ` (files matching ${glob.source})` : '';
      const found = collector.matches();
      // Only lines read again through the repository's own directories are shown (a directory below the
      // target swapped for a link mid-walk would otherwise show files from outside).
      const { kept, dropped } = await verifyMatches(ctx.workspace.root, found.slice(0, limit), GREP_MAX_LINE_CHARS);
      const notes = [
        ...(outcome.warning ? [outcome.warning] : []),
        ...(dropped > 0
          ? [
              `${plural(dropped, 'match', 'matches')} left out: the file changed during the search, or its path ` +
                'now leads outside the repository through a symbolic link.',
            ]
          : []),
      ];
      const warning = notes.map((note) => `[Note: ${note}]`);
      const data: GrepData = {
        pattern: args.pattern,
        path: target,
        ...(glob ? { glob: glob.source } : {}),
        matches: kept,
        totalMatches: collector.totalMatches,
        totalFiles: collector.totalFiles,
        complete: !collector.full,
        source,
        ...(notes.length > 0 ? { warning: notes.join(' ') } : {}),
      };
      if (kept.length === 0) {
        return {
          output: [
            `No matches for /${args.pattern}/${args.case_insensitive ? 'i' : ''} in ${where}${filtered}${dialect}. ` +
              'Try a broader pattern, case_insensitive, or another path.',
            ...warning,
          ].join('\n'),
          data,
          summary: 'no matches',
        };
      }

      const shown = data.matches;
      const cut = found.length > limit || collector.full;
      const lines = [formatGrepMatches(shown, context)];
      // "5000+": the search stopped there, so the totals are lower bounds.
      const plus = collector.full ? '+' : '';
      const files = new Set(shown.map((match) => match.file)).size;
      if (cut) {
        const totalFiles = `${collector.totalFiles}${plus} ${collector.totalFiles === 1 && !plus ? 'file' : 'files'}`;
        lines.push(
          `[${shown.length} of ${collector.totalMatches}${plus} matches shown, in ${files} of ${totalFiles}. ` +
            'Narrow with path or glob, or a more specific pattern.]',
        );
      }
      return {
        output: [...lines, ...warning].join('\n'),
        data,
        summary: cut
          ? `${shown.length} of ${collector.totalMatches}${plus} matches`
          : `${plural(shown.length, 'match', 'matches')} in ${plural(files, 'file')}`,
        moreHint: 'grep with a narrower path or glob, or read_file on a file',
      };
    },
  });
}

export const grepTool = createGrepTool();
