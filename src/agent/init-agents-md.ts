// `/init` and `gptoss-agent init`: the model explores the repository with
// read-only tools and writes an AGENTS.md (test command, layout, conventions);
// the result is shown as a diff and written only when approved, through the
// same approval gate and atomic write as apply_patch, so it can be undone.
import {
  applyFileChanges,
  StaleFileError,
  type AppliedChangeSet,
  type PlannedChange,
} from '../../tools/changes/file-changes.js';
import { previewChanges } from '../../tools/changes/diff.js';
import { promptText } from '../../tools/package/files.js';
import { editTitle } from '../../tools/patch/report.js';
import { formatBytes } from '../../tools/text/format-bytes.js';
import { ToolError } from '../../tools/tool-error.js';
import { openAnchoredFile } from '../../tools/workspace/anchored-read.js';
import type { ApprovalOutcome, ApprovalRequest, Tool } from '../../tools/tool.js';
import type { Workspace } from '../../tools/workspace/workspace.js';
import { fillTemplate } from './instructions.js';
import type { TurnOptions, TurnResult } from './loop.js';

const AGENTS_MD = 'AGENTS.md';
/** An AGENTS.md larger than this is not one to read and rewrite whole. */
const MAX_AGENTS_MD_BYTES = 1024 * 1024;

export type InitResult =
  | {
      status: 'written' | 'not_approved' | 'unchanged';
      /** The proposed file. */
      content: string;
      /** Unified diff from the current AGENTS.md (or none) to the proposal. */
      diff: string;
      /** Why it was not written, when it was not. */
      outcome?: Exclude<ApprovalOutcome, { approved: true }>;
    }
  | { status: 'failed'; message: string; turn: TurnResult };

export interface InitOptions {
  /** An agent given only read-only tools (see readOnlyTools), so exploring cannot change anything. */
  agent: { runTurn(prompt: string, signal?: AbortSignal, options?: TurnOptions): Promise<TurnResult> };
  workspace: Workspace;
  /** The approval gate: the session's mode and rules, then the user. */
  ask(request: ApprovalRequest): Promise<ApprovalOutcome>;
  /** Told about the write, for undo. */
  onChangesApplied?(changes: AppliedChangeSet): void;
  signal?: AbortSignal;
}

/** The tools the exploring agent may use. */
export function readOnlyTools(tools: readonly Tool[]): Tool[] {
  return tools.filter((tool) => tool.kind === 'read');
}

export async function initAgentsMd(options: InitOptions): Promise<InitResult> {
  const { workspace } = options;
  const { relative } = await workspace.resolveForWrite(AGENTS_MD);
  const currentBytes = await readCurrent(workspace.root, relative);
  const current = currentBytes?.toString('utf8');
  const prompt = fillTemplate(promptText('init.md'), {
    existing:
      current === undefined
        ? ''
        : '\nAn AGENTS.md exists already: read it, keep what is still true, fix what is not, add what is missing.\n',
  });
  const turn = await options.agent.runTurn(prompt, options.signal, { title: 'Exploring the repository for AGENTS.md' });
  const content = turn.stopReason === 'answer' ? markdownFrom(turn.answer) : '';
  if (!content) {
    const why = turn.stopReason === 'answer' ? 'the model gave an empty answer' : `the turn ended (${turn.stopReason})`;
    return { status: 'failed', message: `No AGENTS.md was proposed: ${why}.`, turn };
  }

  // An update carries what the model was shown: written over anything else, it would lose that edit.
  const change: PlannedChange =
    current === undefined
      ? { type: 'add', path: AGENTS_MD, content }
      : { type: 'update', path: AGENTS_MD, content, base: currentBytes! };
  const preview = previewChanges([change], () => current ?? '');
  if (current === content) return { status: 'unchanged', content, diff: '' };
  const outcome = await options.ask({
    tool: 'init',
    kind: 'edit',
    title: editTitle(preview.files),
    diff: preview.diff,
    files: preview.files,
  });
  if (!outcome.approved) return { status: 'not_approved', content, diff: preview.diff, outcome };
  try {
    // Written first: an optional call would skip evaluating its argument when no one listens.
    const applied = await applyFileChanges(workspace, [change]);
    options.onChangesApplied?.(applied);
  } catch (error) {
    if (!(error instanceof StaleFileError)) throw error;
    return {
      status: 'failed',
      message: 'AGENTS.md was not written: it changed while the proposal waited for approval. Run /init again.',
      turn,
    };
  }
  return { status: 'written', content, diff: preview.diff };
}

/**
 * The AGENTS.md there is (undefined when none), read without following links: a FIFO, a device or a link
 * swapped in after the guard's check is refused (throws), never waited on or read outside the repository.
 */
async function readCurrent(root: string, relative: string): Promise<Buffer | undefined> {
  const handle = await openAnchoredFile(root, relative);
  if (!handle) return undefined;
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new ToolError(
        `${relative} is not a regular file (a FIFO, a device or a directory). Replace it with a plain file or ` +
          'remove it, then run init again.',
      );
    }
    if (info.size > MAX_AGENTS_MD_BYTES) {
      throw new ToolError(
        `${relative} is larger than ${formatBytes(MAX_AGENTS_MD_BYTES)}; init rewrites AGENTS.md whole. ` +
          'Shorten it, then run init again.',
      );
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** The answer as a file: without a code fence wrapped around all of it, ending in one newline. */
function markdownFrom(answer: string): string {
  const text = answer.trim();
  const fenced = /^```(?:markdown|md)?[ \t]*\n([\s\S]*?)\n```$/.exec(text);
  const body = (fenced ? fenced[1]! : text).trim();
  return body ? `${body}\n` : '';
}
