// apply_patch: edits files with the V4A patch format gpt-oss was trained on
// (`*** Begin Patch` … `*** End Patch`), taking the whole patch as one string
// the way Codex CLI offers it. The patch is parsed and every new file text is
// computed first; the user sees the diff; only then is anything written, and
// then all files or none.
import type { ReadSeams } from './workspace/anchored-read.js';
import { applyFileChanges } from './changes/file-changes.js';
import { previewChanges } from './changes/diff.js';
import { promptText } from './package/files.js';
import { describePatch } from './patch/describe.js';
import { parsePatch } from './patch/parse.js';
import { withNothingChanged } from './patch/patch-error.js';
import { assertPlanIsCurrent, planPatch } from './patch/plan.js';
import { appliedLine, changeSummary, editTitle } from './patch/report.js';
import { testFileWarning } from './patch/test-paths.js';
import { defineTool, notApprovedResult, ToolError } from './tool.js';

export interface ApplyPatchArgs {
  input: string;
}

/** apply_patch; tests pass seams to change the tree between the guard's check and the reads of planning. */
export const createApplyPatchTool = (seams: ReadSeams = {}) =>
  defineTool<ApplyPatchArgs>({
    name: 'apply_patch',
    kind: 'edit',
    description: promptText('tools/apply_patch.md'),
    parameters: {
      type: 'object',
      properties: { input: { type: 'string', description: 'The whole patch, from *** Begin Patch to *** End Patch.' } },
      required: ['input'],
      additionalProperties: false,
    },
    describe: (args) => describePatch(args?.input),
    async execute(args, ctx) {
      const plan = await planPatch(parsePatch(args.input), ctx.workspace, seams);
      const preview = previewChanges(plan.changes, (path) => plan.originals.get(path) ?? '');
      const warning = testFileWarning(preview.files);
      const outcome = await ctx.ask({
        tool: 'apply_patch',
        kind: 'edit',
        title: editTitle(preview.files),
        diff: preview.diff,
        files: preview.files,
        ...(warning ? { warning } : {}),
      });
      if (!outcome.approved) return notApprovedResult(outcome, 'this patch');
      if (ctx.signal.aborted) {
        throw new ToolError('The run was stopped before the approved patch was written. Nothing was changed.');
      }
      await assertPlanIsCurrent(plan, ctx.workspace);

      let applied;
      try {
        applied = await applyFileChanges(ctx.workspace, plan.changes);
      } catch (error) {
        // The files changed between reading and writing, or a write failed; either way all was rolled back.
        if (error instanceof ToolError) throw withNothingChanged(error.message);
        throw error;
      }
      ctx.onChangesApplied?.(applied);
      return {
        output: appliedLine(preview.files),
        data: { files: preview.files },
        summary: changeSummary(preview.files),
      };
    },
  });

export const applyPatchTool = createApplyPatchTool();
