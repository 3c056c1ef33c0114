// A real temporary repository and a hand-built ToolContext for apply_patch
// tests: approvals are answered as told and every request is recorded.
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { applyPatchTool } from '../../tools/apply-patch.js';
import type { AppliedChangeSet } from '../../tools/changes/file-changes.js';
import type { ApprovalOutcome, ApprovalRequest, ToolContext, ToolResult } from '../../tools/tool.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

export interface PatchHarness {
  repo: TempRepo;
  ctx: ToolContext;
  requests: ApprovalRequest[];
  applied: AppliedChangeSet[];
  apply(input: string): Promise<ToolResult>;
  /** A file's bytes as a string, or undefined when it does not exist. */
  read(relative: string): string | undefined;
  /** Every file outside .git, path → bytes, to prove nothing changed. */
  tree(): Map<string, Buffer>;
}

export async function patchHarness(
  files: Record<string, string | Buffer>,
  options: { answer?: ApprovalOutcome; git?: boolean } = {},
): Promise<PatchHarness> {
  const repo = makeTempRepo(files, { git: options.git ?? true });
  const requests: ApprovalRequest[] = [];
  const applied: AppliedChangeSet[] = [];
  const ctx: ToolContext = {
    workspace: await Workspace.open(repo.root),
    signal: new AbortController().signal,
    ask: async (request) => {
      requests.push(request);
      return options.answer ?? { approved: true };
    },
    onChangesApplied: (set) => applied.push(set),
  };
  return {
    repo,
    ctx,
    requests,
    applied,
    apply: (input) => applyPatchTool.execute({ input }, ctx),
    read: (relative) => {
      const file = path.join(repo.root, relative);
      return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    },
    tree: () => readTree(repo.root),
  };
}

/** The error message execute() threw; fails the test when it did not throw. */
export async function patchFailure(harness: PatchHarness, input: string): Promise<string> {
  try {
    await harness.apply(input);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected apply_patch to fail, but it succeeded');
}

function readTree(root: string, dir = root, out = new Map<string, Buffer>()): Map<string, Buffer> {
  for (const name of readdirSync(dir).sort()) {
    if (name === '.git') continue;
    const full = path.join(dir, name);
    const stats = lstatSync(full);
    if (stats.isDirectory()) {
      // Directories count too: a rolled-back patch must not leave new, empty ones behind.
      out.set(`${path.relative(root, full)}/`, Buffer.alloc(0));
      readTree(root, full, out);
    } else
      out.set(
        path.relative(root, full),
        stats.isSymbolicLink() ? Buffer.from(`-> ${readlinkSync(full)}`) : readFileSync(full),
      );
  }
  return out;
}
