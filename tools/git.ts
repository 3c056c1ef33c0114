// git: the repository's state and history for the model (status, diff, log,
// show, blame), and a commit that the user approves. Nothing that rewrites
// history (reset, rebase, push, checkout) is offered.
import { gitCommit, type GitCommitArgs } from './git/commit.js';
import {
  DEFAULT_LOG_COUNT,
  gitBlame,
  gitDiff,
  gitLog,
  gitShow,
  gitStatus,
  type GitReadArgs,
} from './git/read-actions.js';
import { promptText } from './package/files.js';
import { lineRangeSuffix } from './text/line-range.js';
import { defineTool, ToolError, type ToolResult } from './tool.js';

export const GIT_ACTIONS = ['status', 'diff', 'log', 'show', 'blame', 'commit'] as const;

export interface GitArgs extends GitReadArgs, GitCommitArgs {
  action: (typeof GIT_ACTIONS)[number];
}

export const gitTool = defineTool<GitArgs>({
  name: 'git',
  // Every action but commit only reads; commit asks through the approval policy.
  kind: 'edit',
  description: promptText('tools/git.md'),
  parameters: {
    type: 'object',
    properties: {
      action: { type: 'string', enum: GIT_ACTIONS },
      path: { type: 'string' },
      ref: { type: 'string' },
      staged: { type: 'boolean' },
      count: { type: 'integer', minimum: 1, maximum: 100 },
      start_line: { type: 'integer', minimum: 1 },
      end_line: { type: 'integer', minimum: 1 },
      message: { type: 'string' },
      paths: { type: 'array', items: { type: 'string' } },
    },
    required: ['action'],
    additionalProperties: false,
  },
  describe(args) {
    switch (args.action) {
      case 'commit':
        return `git commit "${(args.message ?? '').split('\n', 1)[0]}"`;
      case 'diff':
        return ['git diff', args.staged ? '--staged' : '', args.ref ?? '', args.path ?? ''].filter(Boolean).join(' ');
      case 'log':
        return ['git log', `-n ${args.count ?? DEFAULT_LOG_COUNT}`, args.ref ?? '', args.path ?? '']
          .filter(Boolean)
          .join(' ');
      case 'blame':
        return `git blame ${args.path ?? ''}${lineRangeSuffix(args.start_line, args.end_line)}`;
      case 'show':
        return `git show ${args.ref ?? ''}${args.path ? `:${args.path}` : ''}`;
      default:
        return `git ${args.action}`;
    }
  },
  async execute(args, ctx): Promise<ToolResult> {
    if (!ctx.workspace.isGitRepo) {
      throw new ToolError(
        `${ctx.workspace.root} is not a git repository, so there is no git state or history to show. ` +
          'Use read_file, list_files and grep instead.',
      );
    }
    switch (args.action) {
      case 'status':
        return gitStatus(ctx);
      case 'diff':
        return gitDiff(args, ctx);
      case 'log':
        return gitLog(args, ctx);
      case 'show':
        return gitShow(args, ctx);
      case 'blame':
        return gitBlame(args, ctx);
      case 'commit':
        return gitCommit(args, ctx);
    }
  },
});
