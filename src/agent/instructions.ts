// Builds the instructions the model gets first: prompts/system.md, a few
// facts, and the repository's AGENTS.md. Nothing here may change between two
// runs in the same directory (no date, no timing), so a server's prefix cache
// and our own KV cache can reuse the whole prefix.
import { access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openAnchoredFile } from '../../tools/workspace/anchored-read.js';
import { promptText } from '../../tools/package/files.js';
import type { Workspace } from '../../tools/workspace/workspace.js';

/** Each AGENTS.md is capped: every character is paid again at each cold start. */
const AGENTS_MD_MAX_CHARS = 6000;

export function fillTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => vars[name] ?? whole);
}

/** The tools the prompts name, as `{{read_file}}` etc.; each is written as the tool surface names it. */
const NAMED_TOOLS = ['read_file', 'list_files', 'grep', 'apply_patch', 'shell'] as const;

/**
 * The instructions for a run. `toolNames` maps our tool names to the names the model was given
 * (the native surface's `repo_browser.open_file` for read_file); a name not in it stays as it is.
 */
export async function buildInstructions(
  workspace: Workspace,
  basePrompt = 'system.md',
  toolNames: Readonly<Record<string, string>> = {},
): Promise<string> {
  const body = fillTemplate(promptText(basePrompt), {
    ...Object.fromEntries(NAMED_TOOLS.map((name) => [name, toolNames[name] ?? name])),
    root: workspace.root,
    gitNote: workspace.isGitRepo ? '' : ' (not a git repository)',
    whereUser: whereUser(workspace.relative(workspace.cwd)),
    os: `${os.type()} ${process.arch}`,
    shell: path.basename(process.env.SHELL ?? 'sh'),
  });
  const projectNotes = await readAgentsFiles(workspace, toolNames.read_file ?? 'read_file');
  return projectNotes ? `${body}\n\n${projectNotes}` : body;
}

/**
 * Where the user started the agent. Tools take paths from the repository root, so a model told only
 * "src" would ask for cart.js when the file is src/cart.js: the line says it outright.
 */
export function whereUser(cwd: string): string {
  if (cwd === '.') return 'The user is at the repository root.';
  // A directory name is the repository's: one with control characters is shown quoted, on one line.
  const shown = /[\u0000-\u001f\u007f]/.test(cwd) ? JSON.stringify(cwd) : cwd;
  return (
    `The user is in the subdirectory ${shown}/ of the repository. Paths you give tools still start at the ` +
    `repository root: a file there is ${shown}/<name>, not <name>.`
  );
}

/** AGENTS.md at the root and the nearest one above the working directory, if different. */
async function readAgentsFiles(workspace: Workspace, readTool: string): Promise<string> {
  const candidates = [path.join(workspace.root, 'AGENTS.md')];
  for (let dir = workspace.cwd; dir !== workspace.root && dir.startsWith(workspace.root); dir = path.dirname(dir)) {
    const file = path.join(dir, 'AGENTS.md');
    if (await readable(file)) {
      candidates.push(file);
      break;
    }
  }
  const sections: string[] = [];
  for (const file of candidates) {
    const text = await readInsideWorkspace(workspace, file);
    if (!text?.trim()) continue;
    const capped =
      text.length > AGENTS_MD_MAX_CHARS
        ? `${text.slice(0, AGENTS_MD_MAX_CHARS)}\n[… the rest of this file was cut; read it with ${readTool} if needed]`
        : text.trimEnd();
    sections.push(`# Project instructions from ${workspace.relative(file)}\n\n${capped}`);
  }
  return sections.join('\n\n');
}

/**
 * The file's text when it is a regular file inside the repository, as read_file would see it: a link
 * out of the repository (to a key, the user's config) is not read, since the prompt goes to the
 * model and the endpoint unasked; a FIFO or device under the name is skipped rather than waited on.
 */
async function readInsideWorkspace(workspace: Workspace, file: string): Promise<string | undefined> {
  try {
    const resolved = await workspace.resolveForRead(workspace.relative(file));
    const handle = await openAnchoredFile(workspace.root, path.relative(workspace.root, resolved.absolute));
    if (!handle) return undefined;
    try {
      if (!(await handle.stat()).isFile()) return undefined;
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    // Outside the repository, replaced while read, unreadable: no project notes from it.
    return undefined;
  }
}

async function readable(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
