// The tools of a fix session: the usual ones, but an applied patch is
// followed at once by a run of the tests that were failing, its report added
// to the patch's result. The model sees whether its change worked without
// spending a round trip (and prompt tokens) to ask. With no failing tests
// known the patch tool behaves exactly as usual, and its definition never
// changes, so the prompt prefix stays the same.
import { defaultTools } from '../../tools/default-tools.js';
import { runTestsTool } from '../../tools/run-tests.js';
import { rerunSubset } from '../../tools/test-runners/rerun.js';
import type { TestSubset } from '../../tools/test-runners/plan.js';
import type { TestReport } from '../../tools/test-runners/report.js';
import type { Tool } from '../../tools/tool.js';

/** The failing tests a fix session is working on; set from each full test run. */
export class FixFocus {
  private subset: TestSubset | undefined;
  private active = false;

  /** Follow a new report: re-run its failures after each patch, or nothing when it passed. */
  update(report: TestReport): void {
    this.active = report.outcome !== 'passed';
    this.subset = rerunSubset(report);
  }

  /** The tests to run after a patch: a subset, the whole suite ({}), or none (undefined). */
  rerun(): TestSubset | undefined {
    return this.active ? (this.subset ?? {}) : undefined;
  }
}

export function fixTools(focus: FixFocus, tools: Tool[] = defaultTools()): Tool[] {
  return tools.map((tool) => (tool.name === 'apply_patch' ? withTestRerun(tool, focus) : tool));
}

function withTestRerun(patchTool: Tool, focus: FixFocus): Tool {
  return {
    ...patchTool,
    async execute(args, ctx) {
      const result = await patchTool.execute(args, ctx);
      const subset = focus.rerun();
      if (result.isError || !subset || ctx.signal.aborted) return result;
      const rerun = await runTestsTool.execute(subset, ctx).catch((error: Error) => ({
        output: `The tests could not be re-run: ${error.message}`,
        data: undefined,
      }));
      const what = subset.files ? `the failing tests (${subset.files.join(', ')})` : 'the tests';
      return {
        ...result,
        output: `${result.output}\n\nRe-ran ${what}:\n${rerun.output}`,
        data: { ...(result.data as object | undefined), rerun: rerun.data },
      };
    },
  };
}
