// The native surface: the tools gpt-oss was trained on, declared as system-message
// namespaces (`repo_browser`, `container`), each routed to one of our tools. Every
// call goes through that tool's execute, so the workspace guard, sandbox, approvals,
// write journal and undo apply unchanged; only the arguments and the text differ.
import type { GrepData } from '../grep.js';
import type { ListFilesData } from '../list-files.js';
import { promptText } from '../package/files.js';
import { describePatch } from '../patch/describe.js';
import type { ReadFileData } from '../read-file.js';
import { ToolRegistry } from '../registry.js';
import { detectTestCommand } from '../test-runners/detect.js';
import { defineTool, type Tool, type ToolContext, type ToolResult } from '../tool.js';
import { commandLine, isTestCommand } from './exec-command.js';
import {
  MAX_SEARCH_RESULTS,
  execArguments,
  openFileArguments,
  patchArguments,
  searchArguments,
  treeArguments,
} from './native-arguments.js';
import { NATIVE_ALIASES, resolveToolName } from './resolve-name.js';
import { listLines, treeLines } from './tree-text.js';
import { lineRangeSuffix } from '../text/line-range.js';

/** Lines of a tree or listing the model reads; beyond, it is told to narrow the path. */
const MAX_LISTING_LINES = 400;
/** Files read for a tree (list_files' most). */
const TREE_FILE_LIMIT = 1000;

/** Our tools' names as the native surface offers them (for prompts that name tools). */
export const NATIVE_TOOL_NAMES: Readonly<Record<string, string>> = {
  read_file: 'repo_browser.open_file',
  list_files: 'repo_browser.list_dir',
  grep: 'repo_browser.search',
  apply_patch: 'repo_browser.apply_patch',
  shell: 'container.exec',
};

/** The tools the native surface replaces; the others stay developer-message functions. */
const ROUTED = new Set(Object.keys(NATIVE_TOOL_NAMES));

export const NATIVE_NAMESPACES = [
  { name: 'repo_browser', description: promptText('tools/repo_browser.md') },
  { name: 'container', description: promptText('tools/container.md') },
];

/** The registry for the native surface, from the tools a mode gives the model. */
export function nativeRegistry(tools: readonly Tool[], dynamic?: () => readonly Tool[]): ToolRegistry {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const list = byName.get('list_files');
  const grep = byName.get('grep');
  const read = byName.get('read_file');
  const patch = byName.get('apply_patch');
  const shell = byName.get('shell');
  const native: Tool[] = [
    ...(list ? [printTreeTool(list), listDirTool(list)] : []),
    ...(grep ? [searchTool(grep)] : []),
    ...(read ? [openFileTool(read)] : []),
    ...(patch ? [applyPatchTool(patch)] : []),
    ...(shell ? [execTool(shell, byName.get('run_tests'))] : []),
  ];
  return new ToolRegistry([...native, ...tools.filter((tool) => !ROUTED.has(tool.name))], {
    namespaces: NATIVE_NAMESPACES,
    resolveName: (name, known) => resolveToolName(name, known, NATIVE_ALIASES),
    ...(dynamic ? { dynamic } : {}),
  });
}

function printTreeTool(list: Tool): Tool<{ path: string; depth: number }> {
  return defineTool({
    name: 'repo_browser.print_tree',
    kind: 'read',
    description: promptText('tools/repo_browser.print_tree.md'),
    parameters: depthSchema(),
    normalizeArguments: treeArguments(2),
    describe: (args) => `tree ${args.path ?? '.'}${args.depth ? ` (depth ${args.depth})` : ''}`,
    execute: (args, ctx) => listing(list, args, ctx, treeLines),
  });
}

function listDirTool(list: Tool): Tool<{ path: string; depth: number }> {
  return defineTool({
    name: 'repo_browser.list_dir',
    kind: 'read',
    description: promptText('tools/repo_browser.list_dir.md'),
    parameters: depthSchema(),
    normalizeArguments: treeArguments(1),
    describe: (args) => `ls ${args.path ?? '.'}${args.depth && args.depth > 1 ? ` (depth ${args.depth})` : ''}`,
    execute: (args, ctx) => listing(list, args, ctx, listLines),
  });
}

function depthSchema(): Record<string, unknown> {
  return {
    type: 'object',
    properties: { path: { type: 'string' }, depth: { type: 'integer', minimum: 1, maximum: 20 } },
    additionalProperties: false,
  };
}

async function listing(
  list: Tool,
  args: { path: string; depth: number },
  ctx: ToolContext,
  render: (files: readonly string[], dir: string, depth: number) => string[],
): Promise<ToolResult> {
  const result = await list.execute({ path: args.path, limit: TREE_FILE_LIMIT }, ctx);
  const data = result.data as ListFilesData | undefined;
  if (result.isError || !data || data.files.length === 0) return result;
  let lines = render(data.files, data.path, args.depth);
  const notes: string[] = [];
  if (lines.length > MAX_LISTING_LINES) {
    lines = lines.slice(0, MAX_LISTING_LINES);
    notes.push(`[Cut at ${MAX_LISTING_LINES} lines. Ask for a subdirectory or a smaller depth.]`);
  }
  if (data.total > data.files.length || !data.complete) {
    notes.push(`[Built from the first ${data.files.length} files of ${data.total}${data.complete ? '' : '+'}.]`);
  }
  if (data.warning) notes.push(`[Note: ${data.warning}]`);
  return { output: [...lines, ...notes].join('\n'), data, summary: `${lines.length} lines` };
}

interface SearchArgs {
  path: string;
  query: string;
  max_results?: number;
}

function searchTool(grep: Tool): Tool<SearchArgs> {
  return defineTool<SearchArgs>({
    name: 'repo_browser.search',
    kind: 'read',
    description: promptText('tools/repo_browser.search.md'),
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string' },
        query: { type: 'string' },
        max_results: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_RESULTS },
      },
      required: ['query'],
      additionalProperties: false,
    },
    normalizeArguments: searchArguments,
    describe: (args) =>
      `search ${JSON.stringify(args.query)}${args.path && args.path !== '.' ? ` in ${args.path}` : ''}`,
    async execute(args, ctx) {
      const result = await grep.execute(
        { pattern: args.query, path: args.path, ...(args.max_results ? { limit: args.max_results } : {}) },
        ctx,
      );
      const data = result.data as GrepData | undefined;
      if (result.isError || !data || data.matches.length === 0) return result;
      const lines = data.matches.map((match) => `${match.file}:${match.line}:${match.text}`);
      if (data.totalMatches > data.matches.length || !data.complete) {
        lines.push(
          `[${data.matches.length} of ${data.totalMatches}${data.complete ? '' : '+'} matches. ` +
            'Narrow the path or query, or raise max_results.]',
        );
      }
      if (data.warning) lines.push(`[Note: ${data.warning}]`);
      return { ...result, output: lines.join('\n') };
    },
  });
}

interface OpenFileArgs {
  path: string;
  line_start?: number;
  line_end?: number;
}

function openFileTool(read: Tool): Tool<OpenFileArgs> {
  return defineTool<OpenFileArgs>({
    name: 'repo_browser.open_file',
    kind: 'read',
    description: promptText('tools/repo_browser.open_file.md'),
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string' },
        line_start: { type: 'integer', minimum: 1 },
        line_end: { type: 'integer', minimum: 1 },
      },
      required: ['path'],
      additionalProperties: false,
    },
    normalizeArguments: openFileArguments,
    describe: (args) => `open_file ${args.path}${lineRangeSuffix(args.line_start, args.line_end)}`,
    async execute(args, ctx) {
      const result = await read.execute(
        {
          path: args.path,
          ...(args.line_start !== undefined ? { start_line: args.line_start } : {}),
          ...(args.line_end !== undefined ? { end_line: args.line_end } : {}),
        },
        ctx,
      );
      const data = result.data as ReadFileData | undefined;
      if (result.isError || !data || data.lines.length === 0) return result;
      const lines = [...data.lines];
      // Said only when the model got less than it asked for (no end given, or the window was capped).
      const more =
        (data.endLine < data.totalLines || !data.totalLinesExact) &&
        (args.line_end === undefined || data.endLine < args.line_end);
      if (more) {
        const total = data.totalLinesExact ? `${data.totalLines}` : `at least ${data.totalLines}`;
        lines.push(
          `[Lines ${data.startLine}-${data.endLine} of ${total}. To read on, call open_file with line_start=${data.endLine + 1}.]`,
        );
      } else if (args.line_end !== undefined && args.line_end > data.endLine) {
        lines.push(`[The file ends at line ${data.endLine}.]`);
      }
      return {
        ...result,
        output: lines.join('\n'),
        moreHint: `open_file ${data.path} with line_start and line_end for the lines that were cut`,
      };
    },
  });
}

function applyPatchTool(patch: Tool): Tool<{ patch: string }> {
  return defineTool<{ patch: string }>({
    name: 'repo_browser.apply_patch',
    kind: 'edit',
    description: promptText('tools/repo_browser.apply_patch.md'),
    parameters: {
      type: 'object',
      properties: { patch: { type: 'string' } },
      required: ['patch'],
      additionalProperties: false,
    },
    normalizeArguments: patchArguments,
    describe: (args) => describePatch(args?.patch),
    execute: (args, ctx) => patch.execute({ input: args.patch }, ctx),
  });
}

interface ExecArgs {
  command: string[];
  workdir?: string;
}

function execTool(shell: Tool, runTests: Tool | undefined): Tool<ExecArgs> {
  return defineTool<ExecArgs>({
    name: 'container.exec',
    kind: 'exec',
    description: promptText('tools/container.exec.md'),
    parameters: {
      type: 'object',
      properties: {
        command: { type: 'array', items: { type: 'string' }, minItems: 1 },
        workdir: { type: 'string' },
      },
      required: ['command'],
      additionalProperties: false,
    },
    normalizeArguments: execArguments,
    describe(args) {
      const line = commandLine(args.command ?? []).split('\n', 1)[0]!;
      return `$ ${line.length > 80 ? `${line.slice(0, 79)}…` : line}`;
    },
    async execute(args, ctx) {
      const command = commandLine(args.command);
      const atRoot = args.workdir === undefined || args.workdir === '.' || args.workdir === '';
      if (runTests && atRoot) {
        const detected = await detectTestCommand(ctx.workspace.root, ctx.testCommand);
        if (detected && isTestCommand(command, detected.command)) return runTests.execute({ outputTail: true }, ctx);
      }
      return shell.execute({ command, ...(atRoot ? {} : { workdir: args.workdir }) }, ctx);
    },
  });
}
